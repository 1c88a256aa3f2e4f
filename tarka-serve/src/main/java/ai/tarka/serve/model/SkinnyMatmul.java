package ai.tarka.serve.model;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code out[n×m] = x[n×k] · Wᵀ} for the few rows of a decode step ({@code W} is {@code m×k}, row-major, as Linear
 * stores it): the weight rows are split over the compute pool and each weight row is read once for all {@code n}
 * token rows while it sits in L1, instead of packing the whole matrix as a general GEMM does. This is what makes a
 * batched decode step read each weight once.
 */
public final class SkinnyMatmul {
    private SkinnyMatmul() {}

    /** Rows up to which this kernel beats the packed GEMM. */
    public static final int MAX_ROWS = 32;

    public static void multiply(float[] x, int n, int k, float[] w, int m, float[] out) {
        multiply(x, n, k, w, m, out, Vec.ENABLED);
    }

    static void multiply(float[] x, int n, int k, float[] w, int m, float[] out, boolean vector) {
        int grain = Math.max(1, 16384 / Math.max(1, k * n));
        ComputePool.shared().parallelFor(m, grain, (from, to) -> {
            for (int j = from; j < to; j++) {
                int wOff = j * k;
                for (int i = 0; i < n; i++) {
                    out[i * m + j] = vector ? dot(x, i * k, w, wOff, k) : dotScalar(x, i * k, w, wOff, k);
                }
            }
        });
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int bound = Vec.F.loopBound(n);
        int i = 0;
        float s = 0;
        if (bound > 0) {
            FloatVector acc0 = FloatVector.zero(Vec.F), acc1 = FloatVector.zero(Vec.F);
            for (; i + 2 * Vec.L <= bound; i += 2 * Vec.L) {
                acc0 = FloatVector.fromArray(Vec.F, a, aOff + i).fma(FloatVector.fromArray(Vec.F, b, bOff + i), acc0);
                acc1 = FloatVector.fromArray(Vec.F, a, aOff + i + Vec.L).fma(FloatVector.fromArray(Vec.F, b, bOff + i + Vec.L), acc1);
            }
            for (; i < bound; i += Vec.L) {
                acc0 = FloatVector.fromArray(Vec.F, a, aOff + i).fma(FloatVector.fromArray(Vec.F, b, bOff + i), acc0);
            }
            s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    private static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }
}
