package ai.tarka.engine;

import ai.tarka.kernels.loss.CrossEntropy;
import java.util.Arrays;

/** Training losses. */
public final class Losses {
    private Losses() {}

    /** {@link #crossEntropy(Tensor, int[], int, Reduction)} with {@link Reduction#MEAN}. */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        return crossEntropy(logits, targets, ignoreIndex, Reduction.MEAN);
    }

    /**
     * Softmax cross-entropy of {@code logits [..., V]} (one row per leading index) against one target
     * class per row, fused with log-softmax: per row {@code logsumexp(row) − row[target]}; rows whose
     * target equals {@code ignoreIndex} contribute nothing. The gradient is
     * {@code (softmax − onehot)·scale}, with scale = upstream gradient / counted rows for MEAN.
     *
     * <p>When every row is ignored, MEAN returns 0 and a zero gradient (rather than 0/0), so a
     * micro-batch of pure padding is harmless; SUM returns 0 as well.
     *
     * @return a 0-d tensor
     * @throws ShapeException       if the number of targets differs from the number of rows, or a
     *                              target is outside [0, V) and not ignoreIndex
     * @throws NonFiniteException   if the loss is NaN or infinite (e.g. NaN or +∞ logits)
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Reduction reduction) {
        if (logits.dim() == 0) throw new ShapeException("crossEntropy", "needs logits [..., V]", logits.shape());
        int[] shape = logits.shape();
        int v = shape[shape.length - 1];
        int n = KernelArrays.leadingRows(shape);
        if (targets.length != n) {
            throw new ShapeException("crossEntropy", targets.length + " targets for " + n + " rows of logits [..., V = "
                    + v + "]", shape);
        }
        int[] t = targets.clone();
        int counted = 0;
        for (int r = 0; r < n; r++) {
            if (t[r] == ignoreIndex) continue;
            if (t[r] < 0 || t[r] >= v) {
                throw new ShapeException("crossEntropy", "target " + t[r] + " at row " + r + " is outside [0, V) with V = " + v
                        + " (ignoreIndex " + ignoreIndex + ")", shape);
            }
            counted++;
        }
        float[] in = KernelArrays.dense(logits);
        float[] losses = new float[n], lse = new float[n];
        CrossEntropy.forward(losses, lse, in, t, ignoreIndex, n, v);
        double total = 0;
        for (int r = 0; r < n; r++) total += losses[r];
        double value = reduction == Reduction.SUM ? total : counted == 0 ? 0 : total / counted;
        if (!Float.isFinite((float) value)) {
            int bad = 0;
            while (bad < n && Float.isFinite(losses[bad])) bad++;
            throw new NonFiniteException("crossEntropy: non-finite loss " + value + " for logits of shape "
                    + Arrays.toString(shape) + (bad < n ? " (first at row " + bad + ", target " + t[bad] + ")" : " (the sum overflowed)"));
        }
        int rows = counted;
        return Tensor.record("crossEntropy", Tensor.scalar((float) value), g -> {
            float[] d = new float[n * v];
            if (rows > 0) {
                float scale = reduction == Reduction.SUM ? g.item() : g.item() / rows;
                CrossEntropy.backward(d, in, lse, t, ignoreIndex, scale, n, v);
            }
            logits.accumulateGradOwned(Tensor.of(d, shape));
        }, logits);
    }
}
