package ai.tarka.eval.lm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Perplexity of a text by a sliding window, as Hugging Face's perplexity guide computes it: windows of
 * {@code maxLength} tokens start every {@code stride} tokens, and each window scores only the tokens the previous
 * window did not, with the rest of the window as context. With a BOS id the sequence starts with it so every token of
 * the text is scored; without one the first token is context only. Bits per byte divide the total negative
 * log-likelihood (in bits) by the UTF-8 bytes of the text.
 */
public final class Perplexity {
    private Perplexity() {}

    public record Result(double perplexity, double bitsPerByte, double nll, long tokens, long bytes, int windows,
                         int maxLength, int stride) {

        public String signature() {
            return "window:" + maxLength + "|stride:" + stride + "|tokens:" + tokens + "|bytes:" + bytes;
        }
    }

    /**
     * @param batchSize windows per {@link LogLikelihoodModel#tokenLogProbs} call (the numbers do not depend on it)
     */
    public static Result of(LogLikelihoodModel model, String text, int maxLength, int stride, int batchSize) {
        return of(model, text, maxLength, stride, batchSize, 0);
    }

    /** As {@link #of(LogLikelihoodModel, String, int, int, int)}, scoring at most {@code maxWindows} windows (0: all). */
    public static Result of(LogLikelihoodModel model, String text, int maxLength, int stride, int batchSize, int maxWindows) {
        if (stride < 1 || stride > maxLength)
            throw new IllegalArgumentException("perplexity: stride " + stride + " must be in 1.." + maxLength + " (window)");
        if (maxLength > model.maxLength() || maxLength < 2)
            throw new IllegalArgumentException("perplexity: window " + maxLength + " must be in 2.." + model.maxLength()
                    + " (" + model.name() + "'s positions)");
        int[] textIds = model.encode(text);
        int[] ids = textIds;
        if (model.bos() >= 0) {
            ids = new int[textIds.length + 1];
            ids[0] = model.bos();
            System.arraycopy(textIds, 0, ids, 1, textIds.length);
        }
        List<int[]> windows = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        int prevEnd = 0;
        for (int begin = 0; begin < ids.length; begin += stride) {
            int end = Math.min(begin + maxLength, ids.length);
            int first = Math.max(prevEnd, begin + 1);   // the window's first token has no context inside it
            if (end > first) {
                int[] w = new int[end - begin];
                System.arraycopy(ids, begin, w, 0, w.length);
                windows.add(w);
                from.add(first - begin);
            }
            prevEnd = end;
            if (end == ids.length || (maxWindows > 0 && windows.size() == maxWindows)) break;
        }
        double nll = 0;
        long scored = 0;
        for (int start = 0; start < windows.size(); start += batchSize) {
            int stop = Math.min(start + batchSize, windows.size());
            int[] f = new int[stop - start];
            for (int i = 0; i < f.length; i++) f[i] = from.get(start + i);
            double[][] lp = model.tokenLogProbs(windows.subList(start, stop), f);
            for (double[] row : lp) {
                for (double v : row) nll -= v;
                scored += row.length;
            }
        }
        // bytes of the text the scored tokens cover (all of it unless the window count was capped)
        long bytes = prevEnd == ids.length ? text.getBytes(StandardCharsets.UTF_8).length
                : coveredBytes(model, ids, prevEnd);
        double ppl = scored == 0 ? Double.NaN : Math.exp(nll / scored);
        double bpb = bytes == 0 ? Double.NaN : nll / Math.log(2) / bytes;
        return new Result(ppl, bpb, nll, scored, bytes, windows.size(), maxLength, stride);
    }

    private static long coveredBytes(LogLikelihoodModel model, int[] ids, int end) {
        int start = model.bos() >= 0 ? 1 : 0;
        int[] covered = java.util.Arrays.copyOfRange(ids, start, end);
        return model.decode(covered).getBytes(StandardCharsets.UTF_8).length;
    }
}
