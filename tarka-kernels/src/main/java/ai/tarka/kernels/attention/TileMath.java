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
     * {@code c[r*ldc + j] = Σ_d a[aOff + r*lda + d] · bt[d*ldb + j]} for {@code r < rows, j < cols}.
     * The right operand is stored transposed ({@code depth × cols}), so each step is a broadcast of one
     * element of A times a row of Bᵀ: the inner loop runs along {@code j} and needs no horizontal sums.
     */
    static void productTransposed(boolean vector, int rows, int cols, int depth,
                                  float[] a, int aOff, int lda, float[] bt, int ldb, float[] c, int ldc) {
        if (!vector) {
            productTransposedScalar(rows, cols, depth, a, aOff, lda, bt, ldb, c, ldc);
            return;
        }
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a0 = aOff + r * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
            int c0 = r * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            int j = 0;
            for (; j + 2 * L <= cols; j += 2 * L) {
                FloatVector s00 = FloatVector.zero(F), s01 = s00, s10 = s00, s11 = s00;
                FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
                for (int d = 0, bp = j; d < depth; d++, bp += ldb) {
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
                s00.intoArray(c, c0 + j);
                s01.intoArray(c, c0 + j + L);
                s10.intoArray(c, c1 + j);
                s11.intoArray(c, c1 + j + L);
                s20.intoArray(c, c2 + j);
                s21.intoArray(c, c2 + j + L);
                s30.intoArray(c, c3 + j);
                s31.intoArray(c, c3 + j + L);
            }
            for (; j + L <= cols; j += L) {
                FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
                for (int d = 0, bp = j; d < depth; d++, bp += ldb) {
                    FloatVector b0 = FloatVector.fromArray(F, bt, bp);
                    s0 = b0.fma(FloatVector.broadcast(F, a[a0 + d]), s0);
                    s1 = b0.fma(FloatVector.broadcast(F, a[a1 + d]), s1);
                    s2 = b0.fma(FloatVector.broadcast(F, a[a2 + d]), s2);
                    s3 = b0.fma(FloatVector.broadcast(F, a[a3 + d]), s3);
                }
                s0.intoArray(c, c0 + j);
                s1.intoArray(c, c1 + j);
                s2.intoArray(c, c2 + j);
                s3.intoArray(c, c3 + j);
            }
            for (; j < cols; j++) {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int d = 0, bp = j; d < depth; d++, bp += ldb) {
                    float bv = bt[bp];
                    s0 = Math.fma(a[a0 + d], bv, s0);
                    s1 = Math.fma(a[a1 + d], bv, s1);
                    s2 = Math.fma(a[a2 + d], bv, s2);
                    s3 = Math.fma(a[a3 + d], bv, s3);
                }
                c[c0 + j] = s0;
                c[c1 + j] = s1;
                c[c2 + j] = s2;
                c[c3 + j] = s3;
            }
        }
        for (; r < rows; r++) {
            int a0 = aOff + r * lda, c0 = r * ldc;
            int j = 0;
            for (; j + L <= cols; j += L) {
                FloatVector s0 = FloatVector.zero(F);
                for (int d = 0, bp = j; d < depth; d++, bp += ldb) {
                    s0 = FloatVector.fromArray(F, bt, bp).fma(FloatVector.broadcast(F, a[a0 + d]), s0);
                }
                s0.intoArray(c, c0 + j);
            }
            for (; j < cols; j++) {
                float s0 = 0f;
                for (int d = 0, bp = j; d < depth; d++, bp += ldb) s0 = Math.fma(a[a0 + d], bt[bp], s0);
                c[c0 + j] = s0;
            }
        }
    }

    private static void productTransposedScalar(int rows, int cols, int depth, float[] a, int aOff, int lda,
                                                float[] bt, int ldb, float[] c, int ldc) {
        for (int r = 0; r < rows; r++) {
            int a0 = aOff + r * lda, c0 = r * ldc;
            for (int j = 0; j < cols; j++) c[c0 + j] = 0f;
            for (int d = 0; d < depth; d++) {
                float av = a[a0 + d];
                int bp = d * ldb;
                for (int j = 0; j < cols; j++) c[c0 + j] += av * bt[bp + j];
            }
        }
    }

    /**
     * {@code c[cOff + i*ldc + x] += Σ_k a[aOff + i*ai + k*ak] · b[bOff + k*ldb + x]} for
     * {@code i < rows, x < n, k < depth}. The strides of A let one kernel serve both {@code P·V} (A read
     * along its rows) and {@code Pᵀ·dO} (A read down its columns).
     */
    static void accumulateProduct(boolean vector, int rows, int n, int depth,
                                  float[] a, int aOff, int ai, int ak, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        if (!vector) {
            accumulateProductScalar(rows, n, depth, a, aOff, ai, ak, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            int a0 = aOff + i * ai, a1 = a0 + ai, a2 = a1 + ai, a3 = a2 + ai;
            int c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            int x = 0;
            for (; x + 2 * L <= n; x += 2 * L) {
                FloatVector s00 = FloatVector.fromArray(F, c, c0 + x), s01 = FloatVector.fromArray(F, c, c0 + x + L);
                FloatVector s10 = FloatVector.fromArray(F, c, c1 + x), s11 = FloatVector.fromArray(F, c, c1 + x + L);
                FloatVector s20 = FloatVector.fromArray(F, c, c2 + x), s21 = FloatVector.fromArray(F, c, c2 + x + L);
                FloatVector s30 = FloatVector.fromArray(F, c, c3 + x), s31 = FloatVector.fromArray(F, c, c3 + x + L);
                for (int k = 0, ap = 0, bp = bOff + x; k < depth; k++, ap += ak, bp += ldb) {
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
                s00.intoArray(c, c0 + x);
                s01.intoArray(c, c0 + x + L);
                s10.intoArray(c, c1 + x);
                s11.intoArray(c, c1 + x + L);
                s20.intoArray(c, c2 + x);
                s21.intoArray(c, c2 + x + L);
                s30.intoArray(c, c3 + x);
                s31.intoArray(c, c3 + x + L);
            }
            for (; x + L <= n; x += L) {
                FloatVector s0 = FloatVector.fromArray(F, c, c0 + x), s1 = FloatVector.fromArray(F, c, c1 + x);
                FloatVector s2 = FloatVector.fromArray(F, c, c2 + x), s3 = FloatVector.fromArray(F, c, c3 + x);
                for (int k = 0, ap = 0, bp = bOff + x; k < depth; k++, ap += ak, bp += ldb) {
                    FloatVector b0 = FloatVector.fromArray(F, b, bp);
                    s0 = b0.fma(FloatVector.broadcast(F, a[a0 + ap]), s0);
                    s1 = b0.fma(FloatVector.broadcast(F, a[a1 + ap]), s1);
                    s2 = b0.fma(FloatVector.broadcast(F, a[a2 + ap]), s2);
                    s3 = b0.fma(FloatVector.broadcast(F, a[a3 + ap]), s3);
                }
                s0.intoArray(c, c0 + x);
                s1.intoArray(c, c1 + x);
                s2.intoArray(c, c2 + x);
                s3.intoArray(c, c3 + x);
            }
            for (; x < n; x++) {
                float s0 = c[c0 + x], s1 = c[c1 + x], s2 = c[c2 + x], s3 = c[c3 + x];
                for (int k = 0, ap = 0, bp = bOff + x; k < depth; k++, ap += ak, bp += ldb) {
                    float bv = b[bp];
                    s0 = Math.fma(a[a0 + ap], bv, s0);
                    s1 = Math.fma(a[a1 + ap], bv, s1);
                    s2 = Math.fma(a[a2 + ap], bv, s2);
                    s3 = Math.fma(a[a3 + ap], bv, s3);
                }
                c[c0 + x] = s0;
                c[c1 + x] = s1;
                c[c2 + x] = s2;
                c[c3 + x] = s3;
            }
        }
        for (; i < rows; i++) {
            int a0 = aOff + i * ai, c0 = cOff + i * ldc;
            int x = 0;
            for (; x + L <= n; x += L) {
                FloatVector s0 = FloatVector.fromArray(F, c, c0 + x);
                for (int k = 0, ap = a0, bp = bOff + x; k < depth; k++, ap += ak, bp += ldb) {
                    s0 = FloatVector.fromArray(F, b, bp).fma(FloatVector.broadcast(F, a[ap]), s0);
                }
                s0.intoArray(c, c0 + x);
            }
            for (; x < n; x++) {
                float s0 = c[c0 + x];
                for (int k = 0, ap = a0, bp = bOff + x; k < depth; k++, ap += ak, bp += ldb) s0 = Math.fma(a[ap], b[bp], s0);
                c[c0 + x] = s0;
            }
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
                FloatVector p = FloatVector.fromArray(F, s, off + j).fma(sc, neg).lanewise(VectorOperators.EXP);
                p.intoArray(s, off + j);
                acc = acc.add(p);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
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
            sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
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
