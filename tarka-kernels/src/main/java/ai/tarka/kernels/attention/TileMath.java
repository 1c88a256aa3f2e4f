package ai.tarka.kernels.attention;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense pieces of blockwise attention on small tiles held in scratch or in the caller's arrays:
 * two register-blocked products and the row passes of the softmax. Each method has a vector path and a
 * scalar twin, chosen by the {@code vector} flag so tests can run both in one JVM.
 */
final class TileMath {
    private TileMath() {}

    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;

    /**
     * {@code c[cOff + r*ldc + j] = Σ_d a[aOff + r*lda + d] · bt[btOff + d*ldb + j]} for {@code r < rows,
     * j < cols}. The right operand is stored transposed ({@code depth × cols}), so each step broadcasts one
     * element of A against a row of Bᵀ: the inner loop runs along {@code j} and needs no horizontal sums.
     * Rows go six at a time (twelve accumulators hide the FMA latency), then four, then one.
     */
    static void productTransposed(boolean vector, int rows, int cols, int depth, float[] a, int aOff, int lda,
                                  float[] bt, int btOff, int ldb, float[] c, int cOff, int ldc) {
        if (!vector) {
            productTransposedScalar(rows, cols, depth, a, aOff, lda, bt, btOff, ldb, c, cOff, ldc);
            return;
        }
        int wide = cols - cols % (2 * L);
        int r = 0;
        for (; r + 6 <= rows; r += 6) {
            int ar = aOff + r * lda, cr = cOff + r * ldc;
            for (int j = 0; j < wide; j += 2 * L) productTransposed6x2(depth, a, ar, lda, bt, btOff + j, ldb, c, cr + j, ldc);
            for (int i = 0; i < 6 && wide < cols; i++) {
                productTransposedRow(depth, a, ar + i * lda, bt, btOff, ldb, c, cr + i * ldc, wide, cols);
            }
        }
        for (; r + 4 <= rows; r += 4) {
            int ar = aOff + r * lda, cr = cOff + r * ldc;
            for (int j = 0; j < wide; j += 2 * L) productTransposed4x2(depth, a, ar, lda, bt, btOff + j, ldb, c, cr + j, ldc);
            for (int i = 0; i < 4 && wide < cols; i++) {
                productTransposedRow(depth, a, ar + i * lda, bt, btOff, ldb, c, cr + i * ldc, wide, cols);
            }
        }
        for (; r < rows; r++) productTransposedRow(depth, a, aOff + r * lda, bt, btOff, ldb, c, cOff + r * ldc, 0, cols);
    }

    private static void productTransposed6x2(int depth, float[] a, int aOff, int lda, float[] bt, int bOff, int ldb,
                                             float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        FloatVector s00 = FloatVector.zero(F), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00;
        FloatVector s30 = s00, s31 = s00, s40 = s00, s41 = s00, s50 = s00, s51 = s00;
        for (int d = 0, bp = bOff; d < depth; d++, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(F, bt, bp);
            FloatVector b1 = FloatVector.fromArray(F, bt, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + d]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(F, a[a1 + d]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(F, a[a2 + d]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            x = FloatVector.broadcast(F, a[a3 + d]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            x = FloatVector.broadcast(F, a[a4 + d]);
            s40 = b0.fma(x, s40);
            s41 = b1.fma(x, s41);
            x = FloatVector.broadcast(F, a[a5 + d]);
            s50 = b0.fma(x, s50);
            s51 = b1.fma(x, s51);
        }
        int c0 = cOff;
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        c0 += ldc;
        s10.intoArray(c, c0);
        s11.intoArray(c, c0 + L);
        c0 += ldc;
        s20.intoArray(c, c0);
        s21.intoArray(c, c0 + L);
        c0 += ldc;
        s30.intoArray(c, c0);
        s31.intoArray(c, c0 + L);
        c0 += ldc;
        s40.intoArray(c, c0);
        s41.intoArray(c, c0 + L);
        c0 += ldc;
        s50.intoArray(c, c0);
        s51.intoArray(c, c0 + L);
    }

    private static void productTransposed4x2(int depth, float[] a, int aOff, int lda, float[] bt, int bOff, int ldb,
                                             float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        FloatVector s00 = FloatVector.zero(F), s01 = s00, s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        for (int d = 0, bp = bOff; d < depth; d++, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(F, bt, bp);
            FloatVector b1 = FloatVector.fromArray(F, bt, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + d]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(F, a[a1 + d]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(F, a[a2 + d]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            x = FloatVector.broadcast(F, a[a3 + d]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
        }
        int c0 = cOff;
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        c0 += ldc;
        s10.intoArray(c, c0);
        s11.intoArray(c, c0 + L);
        c0 += ldc;
        s20.intoArray(c, c0);
        s21.intoArray(c, c0 + L);
        c0 += ldc;
        s30.intoArray(c, c0);
        s31.intoArray(c, c0 + L);
    }

    /** One row of {@link #productTransposed}, columns {@code [from, to)}. */
    private static void productTransposedRow(int depth, float[] a, int aRow, float[] bt, int btOff, int ldb,
                                             float[] c, int cRow, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            FloatVector s0 = FloatVector.zero(F);
            for (int d = 0, bp = btOff + j; d < depth; d++, bp += ldb) {
                s0 = FloatVector.fromArray(F, bt, bp).fma(FloatVector.broadcast(F, a[aRow + d]), s0);
            }
            s0.intoArray(c, cRow + j);
        }
        for (; j < to; j++) {
            float s0 = 0f;
            for (int d = 0, bp = btOff + j; d < depth; d++, bp += ldb) s0 = Math.fma(a[aRow + d], bt[bp], s0);
            c[cRow + j] = s0;
        }
    }

    private static void productTransposedScalar(int rows, int cols, int depth, float[] a, int aOff, int lda,
                                                float[] bt, int btOff, int ldb, float[] c, int cOff, int ldc) {
        for (int r = 0; r < rows; r++) {
            int a0 = aOff + r * lda, c0 = cOff + r * ldc;
            for (int j = 0; j < cols; j++) c[c0 + j] = 0f;
            for (int d = 0; d < depth; d++) {
                float av = a[a0 + d];
                int bp = btOff + d * ldb;
                for (int j = 0; j < cols; j++) c[c0 + j] += av * bt[bp + j];
            }
        }
    }

    /**
     * {@code c[cOff + i*ldc + x] += Σ_k a[aOff + i*ai + k*ak] · b[bOff + k*ldb + x]} for
     * {@code i < rows, x < n, k < depth}. The strides of A let one kernel serve both {@code P·V} (A read
     * along its rows) and {@code Pᵀ·dO} (A read down its columns). Same row grouping as
     * {@link #productTransposed}; the accumulators start from C.
     */
    static void accumulateProduct(boolean vector, int rows, int n, int depth,
                                  float[] a, int aOff, int ai, int ak, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        if (!vector) {
            accumulateProductScalar(rows, n, depth, a, aOff, ai, ak, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        int wide = n - n % (2 * L);
        int i = 0;
        for (; i + 6 <= rows; i += 6) {
            int ar = aOff + i * ai, cr = cOff + i * ldc;
            for (int x = 0; x < wide; x += 2 * L) accumulateProduct6x2(depth, a, ar, ai, ak, b, bOff + x, ldb, c, cr + x, ldc);
            for (int r = 0; r < 6 && wide < n; r++) {
                accumulateProductRow(depth, a, ar + r * ai, ak, b, bOff, ldb, c, cr + r * ldc, wide, n);
            }
        }
        for (; i + 4 <= rows; i += 4) {
            int ar = aOff + i * ai, cr = cOff + i * ldc;
            for (int x = 0; x < wide; x += 2 * L) accumulateProduct4x2(depth, a, ar, ai, ak, b, bOff + x, ldb, c, cr + x, ldc);
            for (int r = 0; r < 4 && wide < n; r++) {
                accumulateProductRow(depth, a, ar + r * ai, ak, b, bOff, ldb, c, cr + r * ldc, wide, n);
            }
        }
        for (; i < rows; i++) accumulateProductRow(depth, a, aOff + i * ai, ak, b, bOff, ldb, c, cOff + i * ldc, 0, n);
    }

    private static void accumulateProduct6x2(int depth, float[] a, int aOff, int ai, int ak, float[] b, int bOff, int ldb,
                                             float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + ai, a2 = a1 + ai, a3 = a2 + ai, a4 = a3 + ai, a5 = a4 + ai;
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        FloatVector s00 = FloatVector.fromArray(F, c, c0), s01 = FloatVector.fromArray(F, c, c0 + L);
        FloatVector s10 = FloatVector.fromArray(F, c, c1), s11 = FloatVector.fromArray(F, c, c1 + L);
        FloatVector s20 = FloatVector.fromArray(F, c, c2), s21 = FloatVector.fromArray(F, c, c2 + L);
        FloatVector s30 = FloatVector.fromArray(F, c, c3), s31 = FloatVector.fromArray(F, c, c3 + L);
        FloatVector s40 = FloatVector.fromArray(F, c, c4), s41 = FloatVector.fromArray(F, c, c4 + L);
        FloatVector s50 = FloatVector.fromArray(F, c, c5), s51 = FloatVector.fromArray(F, c, c5 + L);
        if (ak == 1) { // A read along its rows: indices linear in k, so the JIT drops the bounds checks
            for (int k = 0, bp = bOff; k < depth; k++, bp += ldb) {
                FloatVector b0 = FloatVector.fromArray(F, b, bp);
                FloatVector b1 = FloatVector.fromArray(F, b, bp + L);
                FloatVector y = FloatVector.broadcast(F, a[a0 + k]);
                s00 = b0.fma(y, s00);
                s01 = b1.fma(y, s01);
                y = FloatVector.broadcast(F, a[a1 + k]);
                s10 = b0.fma(y, s10);
                s11 = b1.fma(y, s11);
                y = FloatVector.broadcast(F, a[a2 + k]);
                s20 = b0.fma(y, s20);
                s21 = b1.fma(y, s21);
                y = FloatVector.broadcast(F, a[a3 + k]);
                s30 = b0.fma(y, s30);
                s31 = b1.fma(y, s31);
                y = FloatVector.broadcast(F, a[a4 + k]);
                s40 = b0.fma(y, s40);
                s41 = b1.fma(y, s41);
                y = FloatVector.broadcast(F, a[a5 + k]);
                s50 = b0.fma(y, s50);
                s51 = b1.fma(y, s51);
            }
        } else if (ai == 1) { // A read down its columns (Pᵀ, dSᵀ): six neighbours per step
            for (int k = 0, ap = a0, bp = bOff; k < depth; k++, ap += ak, bp += ldb) {
                FloatVector b0 = FloatVector.fromArray(F, b, bp);
                FloatVector b1 = FloatVector.fromArray(F, b, bp + L);
                FloatVector y = FloatVector.broadcast(F, a[ap]);
                s00 = b0.fma(y, s00);
                s01 = b1.fma(y, s01);
                y = FloatVector.broadcast(F, a[ap + 1]);
                s10 = b0.fma(y, s10);
                s11 = b1.fma(y, s11);
                y = FloatVector.broadcast(F, a[ap + 2]);
                s20 = b0.fma(y, s20);
                s21 = b1.fma(y, s21);
                y = FloatVector.broadcast(F, a[ap + 3]);
                s30 = b0.fma(y, s30);
                s31 = b1.fma(y, s31);
                y = FloatVector.broadcast(F, a[ap + 4]);
                s40 = b0.fma(y, s40);
                s41 = b1.fma(y, s41);
                y = FloatVector.broadcast(F, a[ap + 5]);
                s50 = b0.fma(y, s50);
                s51 = b1.fma(y, s51);
            }
        } else {
            for (int k = 0, ap = 0, bp = bOff; k < depth; k++, ap += ak, bp += ldb) {
                FloatVector b0 = FloatVector.fromArray(F, b, bp);
                FloatVector b1 = FloatVector.fromArray(F, b, bp + L);
                FloatVector y = FloatVector.broadcast(F, a[a0 + ap]);
                s00 = b0.fma(y, s00);
                s01 = b1.fma(y, s01);
                y = FloatVector.broadcast(F, a[a1 + ap]);
                s10 = b0.fma(y, s10);
                s11 = b1.fma(y, s11);
                y = FloatVector.broadcast(F, a[a2 + ap]);
                s20 = b0.fma(y, s20);
                s21 = b1.fma(y, s21);
                y = FloatVector.broadcast(F, a[a3 + ap]);
                s30 = b0.fma(y, s30);
                s31 = b1.fma(y, s31);
                y = FloatVector.broadcast(F, a[a4 + ap]);
                s40 = b0.fma(y, s40);
                s41 = b1.fma(y, s41);
                y = FloatVector.broadcast(F, a[a5 + ap]);
                s50 = b0.fma(y, s50);
                s51 = b1.fma(y, s51);
            }
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
        s40.intoArray(c, c4);
        s41.intoArray(c, c4 + L);
        s50.intoArray(c, c5);
        s51.intoArray(c, c5 + L);
    }

    private static void accumulateProduct4x2(int depth, float[] a, int aOff, int ai, int ak, float[] b, int bOff, int ldb,
                                             float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + ai, a2 = a1 + ai, a3 = a2 + ai;
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector s00 = FloatVector.fromArray(F, c, c0), s01 = FloatVector.fromArray(F, c, c0 + L);
        FloatVector s10 = FloatVector.fromArray(F, c, c1), s11 = FloatVector.fromArray(F, c, c1 + L);
        FloatVector s20 = FloatVector.fromArray(F, c, c2), s21 = FloatVector.fromArray(F, c, c2 + L);
        FloatVector s30 = FloatVector.fromArray(F, c, c3), s31 = FloatVector.fromArray(F, c, c3 + L);
        for (int k = 0, ap = 0, bp = bOff; k < depth; k++, ap += ak, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            FloatVector b1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector y = FloatVector.broadcast(F, a[a0 + ap]);
            s00 = b0.fma(y, s00);
            s01 = b1.fma(y, s01);
            y = FloatVector.broadcast(F, a[a1 + ap]);
            s10 = b0.fma(y, s10);
            s11 = b1.fma(y, s11);
            y = FloatVector.broadcast(F, a[a2 + ap]);
            s20 = b0.fma(y, s20);
            s21 = b1.fma(y, s21);
            y = FloatVector.broadcast(F, a[a3 + ap]);
            s30 = b0.fma(y, s30);
            s31 = b1.fma(y, s31);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
    }

    /** One row of {@link #accumulateProduct}, columns {@code [from, to)}. */
    private static void accumulateProductRow(int depth, float[] a, int aRow, int ak, float[] b, int bOff, int ldb,
                                             float[] c, int cRow, int from, int to) {
        int x = from;
        for (; x + L <= to; x += L) {
            FloatVector s0 = FloatVector.fromArray(F, c, cRow + x);
            for (int k = 0, ap = aRow, bp = bOff + x; k < depth; k++, ap += ak, bp += ldb) {
                s0 = FloatVector.fromArray(F, b, bp).fma(FloatVector.broadcast(F, a[ap]), s0);
            }
            s0.intoArray(c, cRow + x);
        }
        for (; x < to; x++) {
            float s0 = c[cRow + x];
            for (int k = 0, ap = aRow, bp = bOff + x; k < depth; k++, ap += ak, bp += ldb) s0 = Math.fma(a[ap], b[bp], s0);
            c[cRow + x] = s0;
        }
    }

    private static void accumulateProductScalar(int rows, int n, int depth, float[] a, int aOff, int ai, int ak,
                                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            int c0 = cOff + i * ldc;
            for (int k = 0; k < depth; k++) {
                float av = a[aOff + i * ai + k * ak];
                int bp = bOff + k * ldb;
                for (int x = 0; x < n; x++) c[c0 + x] += av * b[bp + x];
            }
        }
    }

    /** Largest of {@code s[off .. off+n)}; -infinity when {@code n == 0}. */
    static float max(boolean vector, float[] s, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        int j = 0;
        if (vector && n >= L) {
            FloatVector mv = FloatVector.fromArray(F, s, off);
            for (j = L; j + L <= n; j += L) mv = mv.max(FloatVector.fromArray(F, s, off + j));
            m = mv.reduceLanes(VectorOperators.MAX);
        }
        for (; j < n; j++) m = Math.max(m, s[off + j]);
        return m;
    }

    /** {@code s[j] = exp(s[j]·scale − shift)} over {@code [off, off+n)}; returns the sum of the new values. */
    static float expShifted(boolean vector, float[] s, int off, int n, float scale, float shift) {
        float sum = 0f;
        int j = 0;
        if (vector) {
            FloatVector sc = FloatVector.broadcast(F, scale), neg = FloatVector.broadcast(F, -shift);
            FloatVector acc = FloatVector.zero(F);
            for (; j + L <= n; j += L) {
                FloatVector p = VectorExp.exp(FloatVector.fromArray(F, s, off + j).fma(sc, neg));
                p.intoArray(s, off + j);
                acc = acc.add(p);
            }
            sum = Vec.sum(acc);
        }
        for (; j < n; j++) {
            float p = (float) Math.exp(Math.fma(s[off + j], scale, -shift));
            s[off + j] = p;
            sum += p;
        }
        return sum;
    }

    /** {@code x[off .. off+n) *= factor}. */
    static void scale(boolean vector, float[] x, int off, int n, float factor) {
        int j = 0;
        if (vector) {
            FloatVector f = FloatVector.broadcast(F, factor);
            for (; j + L <= n; j += L) FloatVector.fromArray(F, x, off + j).mul(f).intoArray(x, off + j);
        }
        for (; j < n; j++) x[off + j] *= factor;
    }

    /** {@code Σ a[aOff + j] · b[bOff + j]} for {@code j < n}. */
    static float dot(boolean vector, float[] a, int aOff, float[] b, int bOff, int n) {
        int j = 0;
        float sum = 0f;
        if (vector) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0;
            for (; j + 2 * L <= n; j += 2 * L) {
                s0 = FloatVector.fromArray(F, a, aOff + j).fma(FloatVector.fromArray(F, b, bOff + j), s0);
                s1 = FloatVector.fromArray(F, a, aOff + j + L).fma(FloatVector.fromArray(F, b, bOff + j + L), s1);
            }
            for (; j + L <= n; j += L) {
                s0 = FloatVector.fromArray(F, a, aOff + j).fma(FloatVector.fromArray(F, b, bOff + j), s0);
            }
            sum = Vec.sum(s0.add(s1));
        }
        for (; j < n; j++) sum = Math.fma(a[aOff + j], b[bOff + j], sum);
        return sum;
    }

    /**
     * The softmax backward for one row, written over {@code dp}: {@code dp[j] = scale · p[j] · (dp[j] − rowDot)},
     * where {@code rowDot = Σ dO·O} of the row (equal to {@code Σ p·dp} over all keys).
     */
    static void softmaxGrad(boolean vector, float[] p, float[] dp, int off, int n, float rowDot, float scale) {
        int j = 0;
        if (vector) {
            FloatVector r = FloatVector.broadcast(F, rowDot), sc = FloatVector.broadcast(F, scale);
            for (; j + L <= n; j += L) {
                FloatVector pv = FloatVector.fromArray(F, p, off + j);
                FloatVector g = FloatVector.fromArray(F, dp, off + j).sub(r);
                pv.mul(sc).mul(g).intoArray(dp, off + j);
            }
        }
        for (; j < n; j++) dp[off + j] = scale * p[off + j] * (dp[off + j] - rowDot);
    }

    /** {@code x} rounded up to a multiple of the lane count on the vector path. */
    static int padded(boolean vector, int x) {
        return vector ? (x + L - 1) / L * L : x;
    }
}
