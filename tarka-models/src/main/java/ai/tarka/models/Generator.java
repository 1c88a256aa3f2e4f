package ai.tarka.models;

import ai.tarka.engine.Tensor;
import java.util.Arrays;

/**
 * Autoregressive generation with a {@link KvCache}: the prompt runs once, then each new token runs alone, so N tokens
 * cost N single-token forward steps after the prompt.
 */
public final class Generator {
    private Generator() {}

    /**
     * Tokens generated after {@code prompt}, at most {@code maxTokens}; stops before emitting any id in
     * {@code stopIds} (the stop id itself is not returned).
     */
    public static int[] generate(CausalLm model, int[] prompt, int maxTokens, SamplingParams sampling, int... stopIds) {
        if (prompt.length == 0) throw new IllegalArgumentException("generate: the prompt is empty (start with BOS)");
        if (maxTokens <= 0) return new int[0];
        int vocab = model.config().vocabSize();
        int positions = prompt.length + maxTokens - 1;   // the last token is sampled, never fed back
        if (positions > model.config().maxPositions()) {
            throw new IllegalArgumentException("generate: prompt " + prompt.length + " + " + maxTokens
                    + " new tokens need " + positions + " positions, the model has " + model.config().maxPositions());
        }
        Sampler sampler = new Sampler(sampling);
        KvCache cache = model.newCache(1, positions);
        Tensor logits = model.forwardCached(prompt, 1, prompt.length, cache);            // [1, P, V]
        float[] row = logits.slice(1, prompt.length - 1, prompt.length).toArray();        // last position
        int[] out = new int[maxTokens];
        int n = 0;
        while (true) {
            int next = sampler.sample(row, 0, vocab);
            if (contains(stopIds, next)) break;
            out[n++] = next;
            if (n == maxTokens) break;
            row = model.forwardCached(new int[] {next}, 1, 1, cache).toArray();          // [1, 1, V]
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) if (x == id) return true;
        return false;
    }
}
