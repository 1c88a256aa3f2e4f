package ai.tarka.kernels.loss;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.activation.FastExp;
import ai.tarka.kernels.activation.RowOps;
import jdk.incubator.vector.FloatVector;

/**
 * Softmax cross-entropy fused with log-softmax, one row at a time: forward reads each row twice (max,
 * then Σ exp) and keeps only its log-sum-exp; backward writes {@code softmax − onehot} straight into
 * the gradient. Probabilities are never stored.
 *
 * <p>Targets must be in {@code [0, V)} or equal to {@code ignoreIndex} (checked by the caller);
 * ignored rows have loss 0 and receive no gradient.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    static final int GRAIN = 1 << 14;

    /** losses[N] = lse(logits[n,:]) − logits[n, targets[n]] (0 for ignored rows); lse[N] saved for backward. */
    public static void forward(float[] losses, float[] lse, float[] logits, int[] targets, int ignoreIndex, int n, int v) {
        forward(losses, lse, logits, targets, ignoreIndex, n, v, Vec.ENABLED);
    }

    /** dlogits[N,V] += scale · (softmax(logits[n,:]) − onehot(targets[n])) for every row not ignored. */
    public static void backward(float[] dlogits, float[] logits, float[] lse, int[] targets, int ignoreIndex,
                                float scale, int n, int v) {
        backward(dlogits, logits, lse, targets, ignoreIndex, scale, n, v, Vec.ENABLED);
    }

    static void forward(float[] losses, float[] lse, float[] logits, int[] targets, int ignoreIndex, int n, int v,
                        boolean vector) {
        ComputePool.shared().parallelFor(n, RowOps.rowGrain(v, GRAIN), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int t = targets[r];
                if (t == ignoreIndex) {
                    losses[r] = 0f;
                    lse[r] = 0f;
                    continue;
                }
                int off = r * v;
                float max = RowOps.max(logits, off, v, vector);
                float l = max + (float) Math.log(RowOps.sumExp(logits, off, v, max, vector));
                lse[r] = l;
                losses[r] = l - logits[off + t];
            }
        });
    }

    static void backward(float[] dlogits, float[] logits, float[] lse, int[] targets, int ignoreIndex, float scale,
                         int n, int v, boolean vector) {
        ComputePool.shared().parallelFor(n, RowOps.rowGrain(v, GRAIN), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int t = targets[r];
                if (t == ignoreIndex) continue;
                int off = r * v;
                backwardRow(dlogits, logits, off, v, lse[r], scale, vector);
                dlogits[off + t] -= scale;
            }
        });
    }

    private static void backwardRow(float[] dlogits, float[] logits, int off, int v, float lse, float scale,
                                    boolean vector) {
        int i = 0;
        if (vector) {
            FloatVector scaleV = FloatVector.broadcast(Vec.F, scale);
            for (int bound = Vec.F.loopBound(v); i < bound; i += Vec.L) {
                FloatVector p = FastExp.exp(FloatVector.fromArray(Vec.F, logits, off + i).sub(lse));
                p.fma(scaleV, FloatVector.fromArray(Vec.F, dlogits, off + i)).intoArray(dlogits, off + i);
            }
        }
        for (; i < v; i++) dlogits[off + i] += scale * FastExp.exp(logits[off + i] - lse);
    }
}
