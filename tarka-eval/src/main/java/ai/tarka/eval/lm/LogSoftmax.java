package ai.tarka.eval.lm;

/** Log-softmax of one logits row, in double, read straight from the logits array. */
final class LogSoftmax {
    private LogSoftmax() {}

    static double at(float[] logits, int base, int n, int index) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[base + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(logits[base + i] - max);
        return logits[base + index] - max - Math.log(sum);
    }

    static int argmax(float[] logits, int base, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (logits[base + i] > logits[base + best]) best = i;
        return best;
    }
}
