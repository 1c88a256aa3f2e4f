package ai.tarka.kernels.activation;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions over one row {@code a[off .. off+n)} shared by the softmax, log-softmax and
 * cross-entropy kernels. Each vector loop keeps two accumulators (two independent dependency chains)
 * and reduces across lanes once. With {@code vector == false} everything runs in the scalar loop.
 */
public final class RowOps {
    private RowOps() {}

    private static final VectorSpecies<Float> S = Vec.F;

    /** Largest element (NaN if any element is NaN); -∞ for an empty row. */
    public static float max(float[] a, int off, int n, boolean vector) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (vector && n >= 2 * Vec.L) {
            FloatVector m0 = FloatVector.fromArray(S, a, off);
            FloatVector m1 = FloatVector.fromArray(S, a, off + Vec.L);
            i = 2 * Vec.L;
            for (int bound = n - 2 * Vec.L; i <= bound; i += 2 * Vec.L) {
                m0 = m0.max(FloatVector.fromArray(S, a, off + i));
                m1 = m1.max(FloatVector.fromArray(S, a, off + i + Vec.L));
            }
            for (int bound = S.loopBound(n); i < bound; i += Vec.L) {
                m0 = m0.max(FloatVector.fromArray(S, a, off + i));
            }
            m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, a[off + i]);
        return m;
    }

    /** Σ exp(a[i] − shift). */
    public static float sumExp(float[] a, int off, int n, float shift, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            for (int bound = n - 2 * Vec.L; i <= bound; i += 2 * Vec.L) {
                s0 = s0.add(FastExp.exp(FloatVector.fromArray(S, a, off + i).sub(shift)));
                s1 = s1.add(FastExp.exp(FloatVector.fromArray(S, a, off + i + Vec.L).sub(shift)));
            }
            for (int bound = S.loopBound(n); i < bound; i += Vec.L) {
                s0 = s0.add(FastExp.exp(FloatVector.fromArray(S, a, off + i).sub(shift)));
            }
            s = Vec.sum(s0.add(s1));
        }
        for (; i < n; i++) s += FastExp.exp(a[off + i] - shift);
        return s;
    }

    /** {@code dst[i] = exp(a[i] − shift)} and returns their sum (dst may be a). */
    public static float expStore(float[] dst, int dOff, float[] a, int off, int n, float shift, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            for (int bound = n - 2 * Vec.L; i <= bound; i += 2 * Vec.L) {
                FloatVector e0 = FastExp.exp(FloatVector.fromArray(S, a, off + i).sub(shift));
                FloatVector e1 = FastExp.exp(FloatVector.fromArray(S, a, off + i + Vec.L).sub(shift));
                e0.intoArray(dst, dOff + i);
                e1.intoArray(dst, dOff + i + Vec.L);
                s0 = s0.add(e0);
                s1 = s1.add(e1);
            }
            for (int bound = S.loopBound(n); i < bound; i += Vec.L) {
                FloatVector e0 = FastExp.exp(FloatVector.fromArray(S, a, off + i).sub(shift));
                e0.intoArray(dst, dOff + i);
                s0 = s0.add(e0);
            }
            s = Vec.sum(s0.add(s1));
        }
        for (; i < n; i++) {
            float e = FastExp.exp(a[off + i] - shift);
            dst[dOff + i] = e;
            s += e;
        }
        return s;
    }

    /** Σ a[i]. */
    public static float sum(float[] a, int off, int n, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            for (int bound = n - 2 * Vec.L; i <= bound; i += 2 * Vec.L) {
                s0 = s0.add(FloatVector.fromArray(S, a, off + i));
                s1 = s1.add(FloatVector.fromArray(S, a, off + i + Vec.L));
            }
            for (int bound = S.loopBound(n); i < bound; i += Vec.L) {
                s0 = s0.add(FloatVector.fromArray(S, a, off + i));
            }
            s = Vec.sum(s0.add(s1));
        }
        for (; i < n; i++) s += a[off + i];
        return s;
    }

    /** Σ a[i]·b[i]. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            for (int bound = n - 2 * Vec.L; i <= bound; i += 2 * Vec.L) {
                s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
                s1 = FloatVector.fromArray(S, a, aOff + i + Vec.L).fma(FloatVector.fromArray(S, b, bOff + i + Vec.L), s1);
            }
            for (int bound = S.loopBound(n); i < bound; i += Vec.L) {
                s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
            }
            s = Vec.sum(s0.add(s1));
        }
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** {@code a[i] *= c}. */
    public static void scale(float[] a, int off, int n, float c, boolean vector) {
        int i = 0;
        if (vector) {
            for (int bound = S.loopBound(n); i < bound; i += Vec.L) {
                FloatVector.fromArray(S, a, off + i).mul(c).intoArray(a, off + i);
            }
        }
        for (; i < n; i++) a[off + i] *= c;
    }

    /** Rows per parallel chunk so that a chunk holds at least {@code grainElements} elements. */
    public static int rowGrain(int rowLength, int grainElements) {
        return Math.max(1, grainElements / Math.max(1, rowLength));
    }
}
