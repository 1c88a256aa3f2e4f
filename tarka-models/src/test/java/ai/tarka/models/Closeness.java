package ai.tarka.models;

import ai.tarka.engine.Tensor;

/**
 * The error measure of the parity tests: the largest {@code |a − b| / max(|b|, floor)} over the elements. Elements of
 * ordinary size are compared relatively; elements near zero, where fp32 keeps only an absolute accuracy (sums of
 * terms that cancel), are compared against the floor instead of their own tiny value.
 *
 * <p>The floor is one hundredth of a scale: for logits the largest |logit|; for gradients the largest |gradient|
 * element over the whole model, not over the one tensor. A per-tensor floor fails on tensors whose gradient is itself
 * a cancellation: the k-projection bias shifts every score of a query by nearly the same amount (only RoPE breaks
 * softmax's shift invariance), so its gradient is a sum of terms that almost cancel, and even PyTorch's own fp32 result
 * differs from its fp64 result there by about 5e-5 of that tensor's small maximum.
 */
final class Closeness {
    private Closeness() {}

    static final double FLOOR_FRACTION = 1e-2;

    static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** Worst error with the floor at 1% of {@code scale}. */
    static double maxRelativeError(float[] actual, float[] expected, double scale) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("sizes differ: " + actual.length + " vs " + expected.length);
        }
        double floor = Math.max(FLOOR_FRACTION * scale, Float.MIN_NORMAL);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor);
            if (Double.isNaN(err)) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, err);
        }
        return worst;
    }

    /** Worst error with the floor at 1% of the expected tensor's own largest magnitude. */
    static double maxRelativeError(Tensor actual, Tensor expected) {
        float[] e = expected.toArray();
        return maxRelativeError(actual.toArray(), e, maxAbs(e));
    }
}
