package ai.tarka.kernels.elementwise;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Single-threaded reduction loops over contiguous runs: sums, running sums of rows, maxima and the
 * position of the first maximum. Maxima propagate NaN (like {@link Math#max}); the position of a
 * NaN maximum is that of the first NaN.
 */
public final class ReduceKernels {
    private ReduceKernels() {}

    /** Elements summed in float lanes before the block total joins a double accumulator. */
    private static final int SUM_BLOCK = 4096;

    /**
     * Sum of {@code x[off .. off+n)}. Blocks of {@value #SUM_BLOCK} are summed in four vector
     * accumulators and the block totals in double, so the error does not grow with n the way one
     * long float chain does.
     */
    public static float sum(float[] x, int off, int n) {
        return (float) sumDouble(x, off, n);
    }

    /** Like {@link #sum} but returns the double accumulator (for callers combining partial sums). */
    public static double sumDouble(float[] x, int off, int n) {
        double total = 0;
        for (int b = 0; b < n; b += SUM_BLOCK) {
            total += blockSum(x, off + b, Math.min(SUM_BLOCK, n - b));
        }
        return total;
    }

    private static float blockSum(float[] x, int off, int n) {
        int i = 0;
        float s = 0f;
        if (Vec.ENABLED && n >= 4 * Vec.L) {
            FloatVector s0 = FloatVector.zero(Vec.F), s1 = s0, s2 = s0, s3 = s0;
            int step = 4 * Vec.L;
            for (int bound = n - n % step; i < bound; i += step) {
                s0 = s0.add(FloatVector.fromArray(Vec.F, x, off + i));
                s1 = s1.add(FloatVector.fromArray(Vec.F, x, off + i + Vec.L));
                s2 = s2.add(FloatVector.fromArray(Vec.F, x, off + i + 2 * Vec.L));
                s3 = s3.add(FloatVector.fromArray(Vec.F, x, off + i + 3 * Vec.L));
            }
            s = Vec.sum(s0.add(s1).add(s2.add(s3)));
        }
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /** {@code acc[accOff ..] += x[xOff ..]} over n elements. */
    public static void addInto(float[] acc, int accOff, float[] x, int xOff, int n) {
        int i = 0;
        for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
            FloatVector.fromArray(Vec.F, acc, accOff + i).add(FloatVector.fromArray(Vec.F, x, xOff + i)).intoArray(acc, accOff + i);
        }
        for (; i < n; i++) acc[accOff + i] += x[xOff + i];
    }

    /** Largest of {@code x[off .. off+n)}, n ≥ 1. */
    public static float max(float[] x, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (Vec.ENABLED && n >= 2 * Vec.L) {
            FloatVector m0 = FloatVector.fromArray(Vec.F, x, off), m1 = FloatVector.fromArray(Vec.F, x, off + Vec.L);
            i = 2 * Vec.L;
            int step = 2 * Vec.L;
            for (int bound = n - n % step; i < bound; i += step) {
                m0 = m0.max(FloatVector.fromArray(Vec.F, x, off + i));
                m1 = m1.max(FloatVector.fromArray(Vec.F, x, off + i + Vec.L));
            }
            m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** Position (relative to off) of the first element equal to {@code v}, or of the first NaN when v is NaN. */
    public static int indexOf(float[] x, int off, int n, float v) {
        if (Float.isNaN(v)) {
            for (int i = 0; i < n; i++) if (Float.isNaN(x[off + i])) return i;
            return -1;
        }
        int i = 0;
        for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
            VectorMask<Float> eq = FloatVector.fromArray(Vec.F, x, off + i).compare(VectorOperators.EQ, v);
            if (eq.anyTrue()) return i + eq.firstTrue();
        }
        for (; i < n; i++) if (x[off + i] == v) return i;
        return -1;
    }

    /**
     * Column maxima of a row-major {@code [rows, cols]} block at {@code x[xOff]} with row stride
     * {@code cols}: {@code val[valOff + j] = max_i x[i][j]} and {@code idx[idxOff + j]} the first
     * row reaching it. rows ≥ 1.
     */
    public static void maxColumns(float[] x, int xOff, int rows, int cols, float[] val, int valOff, int[] idx, int idxOff) {
        System.arraycopy(x, xOff, val, valOff, cols);
        java.util.Arrays.fill(idx, idxOff, idxOff + cols, 0);
        int j = 0;
        // row numbers ride in float lanes next to the values; exact below 2^24 rows
        if (Vec.ENABLED && rows < (1 << 24)) {
            FloatVector zero = FloatVector.zero(Vec.F);
            for (int bound = Vec.loopBound(cols); j < bound; j += Vec.L) {
                FloatVector best = FloatVector.fromArray(Vec.F, x, xOff + j), at = zero;
                VectorMask<Float> bestNaN = best.test(VectorOperators.IS_NAN);
                for (int i = 1; i < rows; i++) {
                    FloatVector v = FloatVector.fromArray(Vec.F, x, xOff + i * cols + j);
                    VectorMask<Float> vNaN = v.test(VectorOperators.IS_NAN);
                    VectorMask<Float> take = best.compare(VectorOperators.LT, v).or(vNaN.andNot(bestNaN));
                    best = best.blend(v, take);
                    at = at.blend((float) i, take);
                    bestNaN = bestNaN.or(vNaN);
                }
                best.intoArray(val, valOff + j);
                for (int l = 0; l < Vec.L; l++) idx[idxOff + j + l] = (int) at.lane(l);
            }
        }
        for (; j < cols; j++) {
            float best = x[xOff + j];
            int at = 0;
            for (int i = 1; i < rows && !Float.isNaN(best); i++) {
                float v = x[xOff + i * cols + j];
                if (v > best || Float.isNaN(v)) {
                    best = v;
                    at = i;
                }
            }
            val[valOff + j] = best;
            idx[idxOff + j] = at;
        }
    }
}
