package ai.tarka.inference;

import ai.tarka.kernels.Vec;
import ai.tarka.kernels.quant.PlainRows;
import jdk.incubator.vector.FloatVector;

/** Short float-array loops of the forward pass (head-sized dots, axpy, RMS norm), vectorised with a scalar tail. */
final class Dots {
    private Dots() {}

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float s = 0;
        if (Vec.ENABLED && n >= Vec.L) {
            int l = Vec.L;
            FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0;
            for (; i + 2 * l <= n; i += 2 * l) {
                a0 = FloatVector.fromArray(Vec.F, a, ao + i).fma(FloatVector.fromArray(Vec.F, b, bo + i), a0);
                a1 = FloatVector.fromArray(Vec.F, a, ao + i + l).fma(FloatVector.fromArray(Vec.F, b, bo + i + l), a1);
            }
            for (; i + l <= n; i += l) a0 = FloatVector.fromArray(Vec.F, a, ao + i).fma(FloatVector.fromArray(Vec.F, b, bo + i), a0);
            s = Vec.sum(a0.add(a1));
        }
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /**
     * {@code out[j] = scale · q·row_j} for {@code rows} rows of length n, {@code stride} apart from {@code r0} (a
     * head's keys in a cache): {@link #dot}'s arithmetic, four rows at a time so each load of q serves four rows and
     * the loop's bounds checks are paid once per four dots.
     */
    static void rowDots(float[] q, int qo, float[] m, int r0, int stride, int rows, int n, float scale, float[] out) {
        int j = 0;
        int l = Vec.L;
        if (Vec.ENABLED && n >= 2 * l && n % (2 * l) == 0) {
            for (; j + 4 <= rows; j += 4) {
                int o0 = r0 + j * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
                FloatVector a0 = FloatVector.zero(Vec.F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
                for (int i = 0; i < n; i += 2 * l) {
                    FloatVector x = FloatVector.fromArray(Vec.F, q, qo + i), y = FloatVector.fromArray(Vec.F, q, qo + i + l);
                    a0 = x.fma(FloatVector.fromArray(Vec.F, m, o0 + i), a0);
                    b0 = y.fma(FloatVector.fromArray(Vec.F, m, o0 + i + l), b0);
                    a1 = x.fma(FloatVector.fromArray(Vec.F, m, o1 + i), a1);
                    b1 = y.fma(FloatVector.fromArray(Vec.F, m, o1 + i + l), b1);
                    a2 = x.fma(FloatVector.fromArray(Vec.F, m, o2 + i), a2);
                    b2 = y.fma(FloatVector.fromArray(Vec.F, m, o2 + i + l), b2);
                    a3 = x.fma(FloatVector.fromArray(Vec.F, m, o3 + i), a3);
                    b3 = y.fma(FloatVector.fromArray(Vec.F, m, o3 + i + l), b3);
                }
                out[j] = scale * Vec.sum(a0.add(b0));
                out[j + 1] = scale * Vec.sum(a1.add(b1));
                out[j + 2] = scale * Vec.sum(a2.add(b2));
                out[j + 3] = scale * Vec.sum(a3.add(b3));
            }
        }
        for (; j < rows; j++) out[j] = scale * dot(q, qo, m, r0 + j * stride, n);
    }

    /**
     * {@code out[oo..+n] = Σ_j w[j] · row_j} over {@code rows} rows of length n, {@code stride} apart from {@code r0}
     * (attention's mix of a head's values): each output vector is accumulated in a register over all the rows and
     * stored once, where an axpy per row would load and store the output for every row. The same fused multiply-adds
     * in the same order as that axpy sequence.
     */
    static void weightedRowSum(float[] w, float[] m, int r0, int stride, int rows, int n, float[] out, int oo) {
        int c = 0;
        int l = Vec.L;
        if (Vec.ENABLED) {
            for (; c + 4 * l <= n; c += 4 * l) {
                FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0, a2 = a0, a3 = a0;
                for (int j = 0, o = r0 + c; j < rows; j++, o += stride) {
                    FloatVector x = FloatVector.broadcast(Vec.F, w[j]);
                    a0 = FloatVector.fromArray(Vec.F, m, o).fma(x, a0);
                    a1 = FloatVector.fromArray(Vec.F, m, o + l).fma(x, a1);
                    a2 = FloatVector.fromArray(Vec.F, m, o + 2 * l).fma(x, a2);
                    a3 = FloatVector.fromArray(Vec.F, m, o + 3 * l).fma(x, a3);
                }
                a0.intoArray(out, oo + c);
                a1.intoArray(out, oo + c + l);
                a2.intoArray(out, oo + c + 2 * l);
                a3.intoArray(out, oo + c + 3 * l);
            }
            for (; c + l <= n; c += l) {
                FloatVector a0 = FloatVector.zero(Vec.F);
                for (int j = 0, o = r0 + c; j < rows; j++, o += stride) {
                    a0 = FloatVector.fromArray(Vec.F, m, o).fma(FloatVector.broadcast(Vec.F, w[j]), a0);
                }
                a0.intoArray(out, oo + c);
            }
        }
        for (; c < n; c++) {
            float s = 0f;
            for (int j = 0, o = r0 + c; j < rows; j++, o += stride) s += w[j] * m[o];
            out[oo + c] = s;
        }
    }

    /**
     * {@link #rowDots} over F16 rows (an F16 KV cache), widened in registers ({@link PlainRows#widenF16}): for finite
     * values the same sums as {@link #rowDots} on the rows widened to F32. n must be a multiple of two vectors.
     */
    static void rowDotsF16(float[] q, int qo, short[] m, int r0, int stride, int rows, int n, float scale, float[] out) {
        int l = Vec.L;
        for (int j = 0, o = r0; j < rows; j++, o += stride) {
            FloatVector a = FloatVector.zero(Vec.F), b = a;
            for (int i = 0; i < n; i += 2 * l) {
                a = FloatVector.fromArray(Vec.F, q, qo + i).fma(PlainRows.widenF16(m, o + i), a);
                b = FloatVector.fromArray(Vec.F, q, qo + i + l).fma(PlainRows.widenF16(m, o + i + l), b);
            }
            out[j] = scale * Vec.sum(a.add(b));
        }
    }

    /**
     * {@link #weightedRowSum} over F16 rows, widened in registers: for finite values the same fused multiply-adds in
     * the same order as on the rows widened to F32. n must be a multiple of the vector length.
     */
    static void weightedRowSumF16(float[] w, short[] m, int r0, int stride, int rows, int n, float[] out, int oo) {
        int l = Vec.L, c = 0;
        for (; c + 2 * l <= n; c += 2 * l) {
            FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0;
            for (int j = 0, o = r0 + c; j < rows; j++, o += stride) {
                FloatVector x = FloatVector.broadcast(Vec.F, w[j]);
                a0 = PlainRows.widenF16(m, o).fma(x, a0);
                a1 = PlainRows.widenF16(m, o + l).fma(x, a1);
            }
            a0.intoArray(out, oo + c);
            a1.intoArray(out, oo + c + l);
        }
        for (; c < n; c += l) {
            FloatVector a0 = FloatVector.zero(Vec.F);
            for (int j = 0, o = r0 + c; j < rows; j++, o += stride) {
                a0 = PlainRows.widenF16(m, o).fma(FloatVector.broadcast(Vec.F, w[j]), a0);
            }
            a0.intoArray(out, oo + c);
        }
    }

    /** y[yo..+n] += a · x[xo..+n]. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        if (Vec.ENABLED && n >= Vec.L) {
            FloatVector av = FloatVector.broadcast(Vec.F, a);
            for (; i + Vec.L <= n; i += Vec.L)
                FloatVector.fromArray(Vec.F, x, xo + i).fma(av, FloatVector.fromArray(Vec.F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += a * x[xo + i];
    }

    /** out[oo..+n] = x·w / rms(x), rms over n values plus eps. */
    static void rmsNorm(float[] x, int xo, float[] w, float eps, float[] out, int oo, int n) {
        float ss = dot(x, xo, x, xo, n);
        float r = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] * r * w[i];
    }
}
