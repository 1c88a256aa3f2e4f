package ai.tarka.eval.metrics;

import java.util.Arrays;

/**
 * Sufficient statistics of BLEU: hypothesis length, closest reference length, and per n-gram order the clipped
 * matches and the hypothesis n-gram count. Corpus BLEU sums them over segments.
 */
public record BleuStats(double sysLen, double refLen, double[] correct, double[] total) {

    public BleuStats {
        if (correct.length != total.length)
            throw new IllegalArgumentException("BLEU stats: " + correct.length + " match counts but " + total.length + " totals");
        correct = correct.clone();
        total = total.clone();
    }

    public static BleuStats zero(int order) {
        return new BleuStats(0, 0, new double[order], new double[order]);
    }

    public BleuStats plus(BleuStats o) {
        double[] c = correct.clone();
        double[] t = total.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += o.correct[i];
            t[i] += o.total[i];
        }
        return new BleuStats(sysLen + o.sysLen, refLen + o.refLen, c, t);
    }

    @Override
    public double[] correct() {
        return correct.clone();
    }

    @Override
    public double[] total() {
        return total.clone();
    }

    @Override
    public String toString() {
        return "BleuStats[sys=" + sysLen + ", ref=" + refLen + ", correct=" + Arrays.toString(correct) + ", total="
                + Arrays.toString(total) + "]";
    }
}
