package ai.tarka.inference;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Greedy decoding sped up by prompt-lookup drafts: the last few tokens are searched for earlier in the prompt and
 * output, the tokens that followed them there become a draft, and one {@link LlamaInference#step} checks the current
 * token and the whole draft together. Drafted tokens are kept while they equal the model's greedy choice, and the
 * model's own choice after the last kept one comes free, so the output is the plain greedy output (up to the float
 * rounding differences between a one-row and a many-row step) in fewer steps.
 */
public final class PromptLookupDecoding {
    private final LlamaInference model;
    private final int maxNgram, maxDraft;
    /** Single-token matches draft too often in the wrong place (measured: 10% of drafts kept on stories260K). */
    static final int MIN_NGRAM = 2;

    /** Statistics of one run: decode steps taken, tokens drafted and drafted tokens accepted. */
    public record Result(int[] tokens, int steps, int drafted, int accepted, long prefillNanos, long decodeNanos) {}

    public PromptLookupDecoding(LlamaInference model, int maxNgram, int maxDraft) {
        if (maxNgram < MIN_NGRAM || maxDraft < 1) throw new IllegalArgumentException("prompt lookup: the n-gram length must be >= " + MIN_NGRAM + " and the draft length >= 1");
        if (maxDraft + 1 > model.maxTokens())
            throw new IllegalArgumentException("prompt lookup: a draft of " + maxDraft + " needs a workspace of " + (maxDraft + 1)
                    + " token rows, the model has " + model.maxTokens());
        this.model = model;
        this.maxNgram = maxNgram;
        this.maxDraft = maxDraft;
    }

    /** Generates up to {@code maxTokens} tokens after {@code prompt}, stopping at any of {@code stopIds} (not emitted). */
    public Result generate(int[] prompt, int maxTokens, int[] stopIds, IntConsumer onToken) {
        int vocab = model.config().vocabSize();
        int[] hist = Arrays.copyOf(prompt, prompt.length + maxTokens + maxDraft + 1);
        int len = prompt.length, produced = 0, steps = 0, drafted = 0, accepted = 0;
        SequenceState seq = model.newSequence();
        long t0 = System.nanoTime();
        float[] logits = model.prefill(seq, prompt);
        long t1 = System.nanoTime();
        int next = argmax(logits, 0, vocab);
        int[] tokens = new int[maxDraft + 1], rows = new int[maxDraft + 1];
        SequenceState[] seqs = new SequenceState[maxDraft + 1];
        Arrays.fill(seqs, seq);
        for (int i = 0; i <= maxDraft; i++) rows[i] = i;
        outer:
        while (produced < maxTokens) {
            if (contains(stopIds, next)) break;
            hist[len++] = next;
            produced++;
            if (onToken != null) onToken.accept(next);
            if (produced == maxTokens || seq.remaining() == 0) break;
            int room = Math.min(Math.min(maxDraft, maxTokens - produced), seq.remaining() - 1);
            int k = room > 0 ? draft(hist, len, room, tokens) : 0;
            tokens[0] = next;
            int before = seq.length();
            model.step(seqs, tokens, k + 1, rows, k + 1);
            steps++;
            drafted += k;
            float[] out = model.logits();
            int a = 0;
            while (a < k) {
                int choice = argmax(out, a * vocab, vocab);
                if (choice != tokens[a + 1]) break;
                if (contains(stopIds, choice)) break outer;
                hist[len++] = choice;
                produced++;
                if (onToken != null) onToken.accept(choice);
                a++;
                if (produced == maxTokens) break outer;
            }
            accepted += a;
            seq.truncate(before + 1 + a);
            next = argmax(out, a * vocab, vocab);
        }
        long t2 = System.nanoTime();
        return new Result(Arrays.copyOfRange(hist, prompt.length, len), steps, drafted, accepted, t1 - t0, t2 - t1);
    }

    /**
     * Finds the longest n-gram (at most maxNgram) ending the history that also occurs earlier, latest occurrence
     * first, and copies up to {@code room} following tokens into {@code out[1..]}; returns how many.
     */
    private int draft(int[] hist, int len, int room, int[] out) {
        for (int n = Math.min(maxNgram, len - 1); n >= MIN_NGRAM; n--) {
            for (int start = len - n - 1; start >= 0; start--) {
                boolean match = true;
                for (int j = 0; j < n && match; j++) match = hist[start + j] == hist[len - n + j];
                if (!match) continue;
                int from = start + n, k = Math.min(room, len - from);
                for (int j = 0; j < k; j++) out[1 + j] = hist[from + j];
                if (k > 0) return k;
            }
        }
        return 0;
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) if (x == id) return true;
        return false;
    }
}
