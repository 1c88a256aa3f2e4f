package ai.tarka.inference.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses tokens from logits under {@link SamplingParams}. Order: logit bias, repetition penalty (prompt and output
 * tokens), presence and frequency penalties (output tokens), banned ids; then greedy argmax, or temperature, top-k,
 * top-p, min-p (each renormalising what survives) and a seeded draw. One sampler per sequence; its scratch is
 * allocated once.
 */
public final class Sampler {
    private final SamplingParams p;
    private final int vocab;
    private final float[] work, probs;
    private final int[] cand;
    private final SplittableRandom random;

    public Sampler(SamplingParams params, int vocab) {
        this.p = params;
        this.vocab = vocab;
        work = new float[vocab];
        probs = new float[vocab];
        cand = new int[vocab];
        random = new SplittableRandom(params.seed());
        for (int id : params.logitBias().keySet())
            if (id < 0 || id >= vocab)
                throw new IllegalArgumentException("sampling: logit_bias names token " + id + ", outside the vocabulary of " + vocab);
    }

    public SamplingParams params() {
        return p;
    }

    /**
     * Picks the next token from {@code logits[off..off+vocab)}.
     *
     * @param counts the sequence's tokens so far, for the penalties (may be null)
     * @param banned ids that may not be chosen now, e.g. end-of-sequence before the minimum length (may be null)
     */
    public SampledToken sample(float[] logits, int off, TokenCounts counts, int[] banned) {
        process(logits, off, counts, banned);
        float lse = logSumExp(work);
        int id;
        if (p.isGreedy()) {
            id = 0;
            for (int i = 1; i < vocab; i++) if (work[i] > work[id]) id = i;
        } else {
            int n = filter();
            double r = random.nextDouble();
            double acc = 0;
            id = cand[n - 1];
            for (int i = 0; i < n; i++) {
                acc += probs[cand[i]];
                if (r < acc) {
                    id = cand[i];
                    break;
                }
            }
        }
        List<TokenLogprob> top = List.of();
        if (p.topLogprobs() > 0) {
            int k = Math.min(p.topLogprobs(), vocab);
            for (int i = 0; i < vocab; i++) cand[i] = i;
            IndexSort.selectTop(cand, vocab, k, work);
            IndexSort.sortDescending(cand, k, work);
            top = new ArrayList<>(k);
            for (int i = 0; i < k; i++) top.add(new TokenLogprob(cand[i], work[cand[i]] - lse));
        }
        return new SampledToken(id, work[id] - lse, top);
    }

    /** The probabilities the draw uses (after every filter), for tests and inspection: a new array over the vocabulary. */
    public float[] distribution(float[] logits, int off, TokenCounts counts, int[] banned) {
        process(logits, off, counts, banned);
        float[] out = new float[vocab];
        if (p.isGreedy()) {
            int id = 0;
            for (int i = 1; i < vocab; i++) if (work[i] > work[id]) id = i;
            out[id] = 1;
            return out;
        }
        int n = filter();
        for (int i = 0; i < n; i++) out[cand[i]] = probs[cand[i]];
        return out;
    }

    private void process(float[] logits, int off, TokenCounts counts, int[] banned) {
        System.arraycopy(logits, off, work, 0, vocab);
        for (Map.Entry<Integer, Float> e : p.logitBias().entrySet()) work[e.getKey()] += e.getValue();
        if (counts != null) {
            float rep = p.repetitionPenalty();
            for (int i = 0; i < counts.seenCount(); i++) {
                int id = counts.seenId(i);
                if (rep != 1) work[id] = work[id] > 0 ? work[id] / rep : work[id] * rep;
                int g = counts.generatedCount(id);
                if (g > 0) work[id] -= p.presencePenalty() + g * p.frequencyPenalty();
            }
        }
        if (banned != null) for (int id : banned) if (id >= 0 && id < vocab) work[id] = Float.NEGATIVE_INFINITY;
    }

    private static float logSumExp(float[] v) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) max = Math.max(max, x);
        double s = 0;
        for (float x : v) s += Math.exp(x - max);
        return (float) (max + Math.log(s));
    }

    /** Temperature, top-k, top-p, min-p: leaves {@code cand[0..n)} with renormalised {@code probs}; returns n. */
    private int filter() {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : work) max = Math.max(max, x);
        double inv = 1.0 / p.temperature();
        int n = 0;
        for (int i = 0; i < vocab; i++) {
            if (work[i] == Float.NEGATIVE_INFINITY) {
                probs[i] = 0;
                continue;
            }
            probs[i] = (float) Math.exp((work[i] - max) * inv);
            cand[n++] = i;
        }
        if (n == 0) throw new IllegalStateException("sampling: every token is banned or has logit -infinity");
        normalise(n);
        if (p.topK() > 0 && p.topK() < n) {
            IndexSort.selectTop(cand, n, p.topK(), probs);
            n = p.topK();
            normalise(n);
        }
        if (p.topP() < 1) {
            // tokens below (1 − p)/(n − 1) cannot be needed to reach p: all of them together stay under 1 − p
            float cutoff = (1 - p.topP()) / Math.max(1, n - 1);
            int m = 0;
            for (int i = 0; i < n; i++) if (probs[cand[i]] >= cutoff) cand[m++] = cand[i];
            if (m == 0) m = n; // every token under the cutoff: the argument above needs one above it
            IndexSort.sortDescending(cand, m, probs);
            double acc = 0;
            int keep = m;
            for (int i = 0; i < m; i++) {
                acc += probs[cand[i]];
                if (acc >= p.topP()) {
                    keep = i + 1;
                    break;
                }
            }
            n = keep;
            normalise(n);
        }
        if (p.minP() > 0) {
            float top = 0;
            for (int i = 0; i < n; i++) top = Math.max(top, probs[cand[i]]);
            float threshold = p.minP() * top;
            int m = 0;
            for (int i = 0; i < n; i++) if (probs[cand[i]] >= threshold) cand[m++] = cand[i];
            n = m;
            normalise(n);
        }
        return n;
    }

    private void normalise(int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += probs[cand[i]];
        float inv = (float) (1.0 / s);
        for (int i = 0; i < n; i++) probs[cand[i]] *= inv;
    }
}
