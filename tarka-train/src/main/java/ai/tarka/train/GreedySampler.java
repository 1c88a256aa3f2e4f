package ai.tarka.train;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.Arrays;

/**
 * The text sample shown at each evaluation: greedy decoding with a full forward pass per token over the last
 * {@code maxPositions} tokens. Quadratic, but samples are short and this needs nothing beyond {@link CausalLm}.
 */
public final class GreedySampler {
    private GreedySampler() {}

    /** The prompt followed by {@code tokens} greedily chosen tokens, decoded. */
    public static String sample(CausalLm model, TextTokenizer tokenizer, String prompt, int tokens) {
        int[] ids = tokenizer.encode(prompt);
        if (ids.length == 0) return prompt;
        int window = model.config().maxPositions();
        int[] seq = Arrays.copyOf(ids, ids.length + tokens);
        int len = ids.length;
        try (GradMode.Scope off = GradMode.disable()) {
            for (int i = 0; i < tokens; i++) {
                int from = Math.max(0, len - window);
                int[] ctx = Arrays.copyOfRange(seq, from, len);
                Tensor logits = model.forward(ctx, null, 1, ctx.length);
                seq[len++] = argmaxOfRow(logits, ctx.length - 1);
            }
        }
        return tokenizer.decode(Arrays.copyOf(seq, len));
    }

    private static int argmaxOfRow(Tensor logits, int row) {
        int vocab = logits.shape()[logits.dim() - 1];
        Tensor last = logits.reshape(logits.numel() / vocab, vocab).select(0, row);
        float[] v = last.toArray();
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
