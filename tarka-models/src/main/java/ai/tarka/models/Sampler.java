package ai.tarka.models;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits: argmax when greedy, else a draw from the temperature-scaled softmax
 * restricted to the top-k tokens and then to the top-p nucleus. Scratch arrays are allocated once per vocabulary size.
 */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom rng;
    private double[] probs = new double[0];
    private long[] keys = new long[0];

    public Sampler(SamplingParams params) {
        this.params = params;
        this.rng = new SplittableRandom(params.seed());
    }

    /** The next token from {@code logits[offset, offset + vocab)}. */
    public int sample(float[] logits, int offset, int vocab) {
        if (params.isGreedy()) return argmax(logits, offset, vocab);
        if (probs.length != vocab) {
            probs = new double[vocab];
            keys = new long[vocab];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[offset + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            probs[i] = Math.exp((logits[offset + i] - max) / params.temperature());
            sum += probs[i];
        }
        // A token below (1 - p)/(V - 1) can never be inside the nucleus (the rest would already hold p), so only the
        // candidates above it are sorted (llama2.c's trick); without top-p or top-k nothing needs sorting.
        double cutoff = params.topP() < 1 ? (1 - params.topP()) / Math.max(1, vocab - 1) * sum : 0;
        int n = 0;
        for (int i = 0; i < vocab; i++) {
            if (probs[i] >= cutoff) keys[n++] = sortKey(probs[i] / sum, i, vocab);
        }
        int keep = params.topK() > 0 ? Math.min(params.topK(), n) : n;
        if (params.topP() < 1 || keep < n) Arrays.sort(keys, 0, n);   // ascending: most likely last
        double mass = 0;
        int taken = 0;
        while (taken < keep) {
            mass += probs[idOf(keys[n - 1 - taken], vocab)] / sum;
            taken++;
            if (mass >= params.topP()) break;
        }
        double r = rng.nextDouble() * mass, acc = 0;
        for (int i = 0; i < taken; i++) {
            int id = idOf(keys[n - 1 - i], vocab);
            acc += probs[id] / sum;
            if (r < acc) return id;
        }
        return idOf(keys[n - taken], vocab);
    }

    /** Probability in the high bits (positive floats order as their bits), then the id reversed so lower ids win ties. */
    private static long sortKey(double p, int id, int vocab) {
        return ((long) Float.floatToIntBits((float) p) << 32) | (vocab - 1 - id);
    }

    private static int idOf(long key, int vocab) {
        return vocab - 1 - (int) (key & 0xffffffffL);
    }

    /** The index of the largest logit (the first one on ties). */
    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) if (logits[offset + i] > logits[offset + best]) best = i;
        return best;
    }
}
