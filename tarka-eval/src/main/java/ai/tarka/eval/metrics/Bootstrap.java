package ai.tarka.eval.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Seeded bootstrap over examples: resample the indices with replacement, recompute the statistic, and report the
 * standard deviation of the resampled values (standard error) and a percentile confidence interval. Same seed, same
 * numbers.
 */
public final class Bootstrap {
    private Bootstrap() {}

    public record Interval(double low, double mid, double high, double stderr) {}

    /**
     * @param statistic computes the statistic from an index sample (indices into the examples, with repeats)
     * @param confidence e.g. 0.95 for a 2.5–97.5 percentile interval
     */
    public static Interval resample(int n, ToDoubleFunction<int[]> statistic, int samples, double confidence, long seed) {
        if (n == 0) return new Interval(0, 0, 0, 0);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] values = new double[samples];
        int[] idx = new int[n];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < n; i++) idx[i] = rng.nextInt(n);
            values[s] = statistic.applyAsDouble(idx);
        }
        double mean = 0;
        for (double v : values) mean += v;
        mean /= samples;
        double var = 0;
        for (double v : values) var += (v - mean) * (v - mean);
        double stderr = samples > 1 ? Math.sqrt(var / (samples - 1)) : 0;
        Arrays.sort(values);
        double tail = (1 - confidence) / 2;
        return new Interval(percentile(values, tail), percentile(values, 0.5), percentile(values, 1 - tail), stderr);
    }

    /** Bootstrap of the mean of per-example values (accuracy, sentence scores). */
    public static Interval ofMean(double[] perExample, int samples, long seed) {
        return resample(perExample.length, idx -> {
            double s = 0;
            for (int i : idx) s += perExample[i];
            return s / idx.length;
        }, samples, 0.95, seed);
    }

    public static Interval ofMean(List<Double> perExample, int samples, long seed) {
        return ofMean(perExample.stream().mapToDouble(Double::doubleValue).toArray(), samples, seed);
    }

    /** Linear interpolation between closest ranks, as numpy's default percentile. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
