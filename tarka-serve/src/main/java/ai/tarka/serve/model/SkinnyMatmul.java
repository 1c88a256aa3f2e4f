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

    /** Rows up to which this kernel is used instead of the packed GEMM ({@code -Dtarka.serve.skinnyRows}). */
    public static final int MAX_ROWS = Integer.getInteger("tarka.serve.skinnyRows", 32);

    public static void multiply(float[] x, int n, int k, float[] w, int m, float[] out) {
        multiply(x, n, k, w, m, out, Vec.ENABLED);
    }

    static void multiply(float[] x, int n, int k, float[] w, int m, float[] out, boolean vector) {
        int grain = Math.max(1, 16384 / Math.max(1, k * n));
        ComputePool.shared().parallelFor(m, grain, (from, to) -> {
            for (int j = from; j < to; j++) {
                int wOff = j * k;
                int i = 0;
                if (vector) {
                    for (; i + 4 <= n; i += 4) dot4(x, i, k, w, wOff, out, m, j);
                }
                for (; i < n; i++) {
                    out[i * m + j] = vector ? dot(x, i * k, w, wOff, k) : dotScalar(x, i * k, w, wOff, k);
                }
            }
        });
    }

    /** Four token rows against one weight row: each weight vector is loaded once for four FMAs. */
    private static void dot4(float[] x, int row, int k, float[] w, int wOff, float[] out, int m, int j) {
        int bound = Vec.F.loopBound(k);
        int o0 = row * k, o1 = o0 + k, o2 = o1 + k, o3 = o2 + k;
        FloatVector a0 = FloatVector.zero(Vec.F), a1 = FloatVector.zero(Vec.F), a2 = FloatVector.zero(Vec.F),
                a3 = FloatVector.zero(Vec.F);
        int i = 0;
        for (; i < bound; i += Vec.L) {
            FloatVector wv = FloatVector.fromArray(Vec.F, w, wOff + i);
            a0 = FloatVector.fromArray(Vec.F, x, o0 + i).fma(wv, a0);
            a1 = FloatVector.fromArray(Vec.F, x, o1 + i).fma(wv, a1);
            a2 = FloatVector.fromArray(Vec.F, x, o2 + i).fma(wv, a2);
            a3 = FloatVector.fromArray(Vec.F, x, o3 + i).fma(wv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD),
                s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
            float wi = w[wOff + i];
            s0 += x[o0 + i] * wi;
            s1 += x[o1 + i] * wi;
            s2 += x[o2 + i] * wi;
            s3 += x[o3 + i] * wi;
        }
        out[row * m + j] = s0;
        out[(row + 1) * m + j] = s1;
        out[(row + 2) * m + j] = s2;
        out[(row + 3) * m + j] = s3;
    }

    /** Vectorised dot product of {@code a[aOff, aOff+n)} and {@code b[bOff, bOff+n)}. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
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
