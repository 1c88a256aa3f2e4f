package ai.tarka.train;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.Generator;
import ai.tarka.models.SamplingParams;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.Arrays;

/**
 * The text sample shown at each evaluation, decoded greedily so it is reproducible. When the prompt and the sample fit
 * the model's positions it uses the models' KV-cache {@link Generator}; otherwise it slides a window of the last
 * {@code maxPositions} tokens with a full forward pass per token.
 */
public final class GreedySampler {
    private GreedySampler() {}

    /** The prompt followed by {@code tokens} greedily chosen tokens, decoded. */
    public static String sample(CausalLm model, TextTokenizer tokenizer, String prompt, int tokens) {
        int[] ids = tokenizer.encode(prompt);
        if (ids.length == 0 || tokens <= 0) return prompt;
        if (ids.length + tokens - 1 <= model.config().maxPositions()) {
            int[] generated = Generator.generate(model, ids, tokens, SamplingParams.greedy());
            int[] all = Arrays.copyOf(ids, ids.length + generated.length);
            System.arraycopy(generated, 0, all, ids.length, generated.length);
            return tokenizer.decode(all);
        }
        return tokenizer.decode(slidingWindow(model, ids, tokens));
    }

    /** Greedy decoding with a full forward pass over the last {@code maxPositions} tokens for each new token. */
    static int[] slidingWindow(CausalLm model, int[] prompt, int tokens) {
        int window = model.config().maxPositions();
        int[] seq = Arrays.copyOf(prompt, prompt.length + tokens);
        int len = prompt.length;
        try (GradMode.Scope off = GradMode.disable()) {
            for (int i = 0; i < tokens; i++) {
                int from = Math.max(0, len - window);
                int[] ctx = Arrays.copyOfRange(seq, from, len);
                Tensor logits = model.forward(ctx, null, 1, ctx.length);
                seq[len++] = argmaxOfRow(logits, ctx.length - 1);
            }
        }
        return seq;
    }

    private static int argmaxOfRow(Tensor logits, int row) {
        int vocab = logits.shape()[logits.dim() - 1];
        float[] v = logits.reshape(logits.numel() / vocab, vocab).select(0, row).toArray();
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
