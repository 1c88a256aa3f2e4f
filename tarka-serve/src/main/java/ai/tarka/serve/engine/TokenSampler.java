package ai.tarka.serve.engine;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns one row of logits into the next token of one sequence, applying in order: logit bias, the min-tokens mask,
 * repetition / presence / frequency penalties, then temperature, top-k, top-p and min-p (vLLM's order). Log
 * probabilities are those of the raw model distribution. Scratch is per sampler (per sequence), allocated once.
 */
public final class TokenSampler {
    private final SamplingOptions o;
    private final SplittableRandom rng;
    private final int vocab;
    private final boolean penalised;
    /** Per-token scratch, allocated only for the options that use it: a greedy request allocates none. */
    private final int[] outputCounts;
    private final boolean[] inPrompt;
    private double[] probs;
    private int[] order;
    private long[] keys;
    private final int eos;

    public TokenSampler(SamplingOptions options, int vocab, int eos, int[] prompt) {
        this.o = options;
        this.vocab = vocab;
        this.eos = eos;
        rng = options.seed() != null ? new SplittableRandom(options.seed()) : new SplittableRandom();
        penalised = o.repetitionPenalty() != 1.0 || o.presencePenalty() != 0 || o.frequencyPenalty() != 0;
        outputCounts = penalised ? new int[vocab] : null;
        inPrompt = o.repetitionPenalty() != 1.0 ? new boolean[vocab] : null;
        if (inPrompt != null) for (int t : prompt) if (t >= 0 && t < vocab) inPrompt[t] = true;
    }

    /** The sampled token and its log-probabilities. */
    public record Draw(int token, float logprob, int[] topIds, float[] topLogprobs) {}

    /**
     * Samples from {@code logits[off, off + vocab)} (modified in place) given how many tokens were generated so far.
     */
    public Draw sample(float[] logits, int off, int generated) {
        boolean wantLogprobs = o.logprobs() || o.topLogprobs() > 0;
        double lse = wantLogprobs ? logSumExp(logits, off) : 0;
        int[] topIds = null;
        float[] topLps = null;
        if (o.topLogprobs() > 0) {
            int k = Math.min(o.topLogprobs(), vocab);
            topIds = topIndices(logits, off, k);
            topLps = new float[k];
            for (int i = 0; i < k; i++) topLps[i] = (float) (logits[off + topIds[i]] - lse);
        }
        float[] raw = o.logprobs() ? Arrays.copyOfRange(logits, off, off + vocab) : null;
        process(logits, off, generated);
        int token = choose(logits, off);
        float lp = raw == null ? 0f : (float) (raw[token] - lse);
        if (penalised) outputCounts[token]++;
        return new Draw(token, lp, topIds, topLps);
    }

    private void process(float[] logits, int off, int generated) {
        for (Map.Entry<Integer, Float> e : o.logitBias().entrySet()) {
            int id = e.getKey();
            if (id >= 0 && id < vocab) logits[off + id] += e.getValue();
        }
        if (generated < o.minTokens()) {
            if (eos >= 0 && eos < vocab) logits[off + eos] = Float.NEGATIVE_INFINITY;
            for (int id : o.stopTokenIds()) if (id >= 0 && id < vocab) logits[off + id] = Float.NEGATIVE_INFINITY;
        }
        boolean rep = o.repetitionPenalty() != 1.0;
        if (penalised) {
            float r = (float) o.repetitionPenalty();
            for (int i = 0; i < vocab; i++) {
                int count = outputCounts[i];
                float l = logits[off + i];
                if (rep && (count > 0 || inPrompt[i])) l = l > 0 ? l / r : l * r;
                if (count > 0) l -= (float) (o.frequencyPenalty() * count + o.presencePenalty());
                logits[off + i] = l;
            }
        }
    }

    private int choose(float[] logits, int off) {
        if (o.temperature() == 0) return argmax(logits, off);
        if (probs == null) probs = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            double p = Math.exp((logits[off + i] - max) / o.temperature());
            probs[i] = p;
            sum += p;
        }
        if (!(sum > 0)) return argmax(logits, off);
        boolean restrict = (o.topK() > 0 && o.topK() < vocab) || o.topP() < 1 || o.minP() > 0;
        if (!restrict) return draw(sum);
        if (order == null) {
            order = new int[vocab];
            keys = new long[vocab];
        }
        // Only the most likely tokens can survive top-k / top-p / min-p: sort those with probability at least
        // max·t, lowering t until the cut is decided inside them (t = 0 sorts everything, as a full sort would).
        for (double t : CANDIDATE_THRESHOLDS) {
            int n = restrictTo(sum, t);
            if (n > 0) return drawSorted(n);
        }
        throw new IllegalStateException("TokenSampler: no candidate set decided the cut");
    }

    /** Probability thresholds (relative to the most likely token, whose unnormalised probability is 1) tried in turn. */
    private static final double[] CANDIDATE_THRESHOLDS = {1e-2, 1e-4, 1e-8, 0};

    /**
     * Sorts the tokens whose probability is at least {@code t} into {@code order} and applies top-k, top-p and min-p
     * to them; returns how many tokens are kept, or 0 when the cut may lie beyond these candidates.
     */
    private int restrictTo(double sum, double t) {
        int c = sortCandidates(t);
        boolean all = c == vocab;
        int n = c;
        boolean decided = all;
        if (o.topK() > 0 && o.topK() <= c) {
            n = o.topK();
            decided = true;
        }
        double kept = 0;
        int m = 0;
        boolean reached = false;
        while (m < n) {
            kept += probs[order[m]];
            m++;
            if (kept >= o.topP() * sum) {
                reached = true;
                break;
            }
        }
        decided |= reached;
        n = m;
        if (o.minP() > 0) {
            double floor = o.minP() * probs[order[0]];
            int keep = 0;
            while (keep < n && probs[order[keep]] >= floor) keep++;
            decided |= keep < n;
            n = Math.max(1, keep);
        }
        return decided ? n : 0;
    }

    private int drawSorted(int n) {
        double mass = 0;
        for (int i = 0; i < n; i++) mass += probs[order[i]];
        double r = rng.nextDouble() * mass, acc = 0;
        for (int i = 0; i < n; i++) {
            acc += probs[order[i]];
            if (r < acc) return order[i];
        }
        return order[n - 1];
    }

    private int draw(double sum) {
        double r = rng.nextDouble() * sum, acc = 0;
        int last = 0;
        for (int i = 0; i < vocab; i++) {
            if (probs[i] > 0) last = i;
            acc += probs[i];
            if (r < acc) return i;
        }
        return last;
    }

    /**
     * Puts the tokens whose probability (as a float, the sort key) is at least {@code t} into {@code order}, by
     * descending probability, lower id first on ties (probability bits above the id), and returns their count. They
     * are exactly the first entries of the full sorted order, so whatever is decided inside them is what a full sort
     * decides.
     */
    private int sortCandidates(double t) {
        float tf = (float) t;
        int c = 0;
        for (int i = 0; i < vocab; i++) {
            float p = (float) probs[i];
            if (t == 0 || p >= tf) keys[c++] = ((long) Float.floatToIntBits(p) << 32) | (vocab - 1 - i);
        }
        Arrays.sort(keys, 0, c);
        for (int i = 0; i < c; i++) order[i] = vocab - 1 - (int) (keys[c - 1 - i] & 0xffffffffL);
        return c;
    }

    static int argmax(float[] logits, int off, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) if (logits[off + i] > logits[off + best]) best = i;
        return best;
    }

    private int argmax(float[] logits, int off) {
        return argmax(logits, off, vocab);
    }

    private double logSumExp(float[] logits, int off) {
        return logSumExp(logits, off, vocab);
    }

    /** log Σ exp(logits) over one row. */
    public static double logSumExp(float[] logits, int off, int vocab) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[off + i]);
        double s = 0;
        for (int i = 0; i < vocab; i++) s += Math.exp(logits[off + i] - max);
        return max + Math.log(s);
    }

    /** The {@code k} largest entries' indices, largest first. */
    public static int[] topIndices(float[] logits, int off, int vocab, int k) {
        int[] top = new int[k];
        Arrays.fill(top, -1);
        for (int i = 0; i < vocab; i++) {
            float l = logits[off + i];
            int pos = k;
            while (pos > 0 && (top[pos - 1] < 0 || logits[off + top[pos - 1]] < l)) pos--;
            if (pos < k) {
                System.arraycopy(top, pos, top, pos + 1, k - pos - 1);
                top[pos] = i;
            }
        }
        return top;
    }

    private int[] topIndices(float[] logits, int off, int k) {
        return topIndices(logits, off, vocab, k);
    }
}
