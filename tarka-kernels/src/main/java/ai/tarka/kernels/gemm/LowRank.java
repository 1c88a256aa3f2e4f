package ai.tarka.kernels.gemm;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * Products with one small dimension r (a LoRA rank, 4 to 64), on row-major arrays. A general GEMM spends more
 * on packing, blocking and thread hand-off than on arithmetic when one of m, n or k is 16; these loops read each
 * large operand once, straight from its rows, with the r small rows or columns held in cache.
 *
 * <ul>
 *   <li>{@link #project}: {@code out[n, r] = alpha · P[n, k] · Q[r, k]ᵀ} (a row of P against each row of Q);</li>
 *   <li>{@link #expandInto}: {@code out[n, m] += alpha · C[n, r] · Q[r, m]} (r scaled rows of Q added to each row);</li>
 *   <li>{@link #outer}: {@code out[r, m] = alpha · C[n, r]ᵀ · P[n, m]} (a sum of n outer products).</li>
 * </ul>
 * Every output element is summed in the same order whatever the thread count, so results are deterministic.
 */
public final class LowRank {
    private LowRank() {}

    /** Rows (or column groups) per parallel chunk: below that the hand-off costs more than the work. */
    private static final int GRAIN = 32;

    /** {@code out[i·r + j] = alpha · Σ_c p[pOff + i·k + c] · q[qOff + j·k + c]}; out is overwritten. */
    public static void project(float[] p, int pOff, int n, int k, float[] q, int qOff, int r, float alpha, float[] out, int outOff) {
        check("project", p, pOff, (long) n * k, q, qOff, (long) r * k, out, outOff, (long) n * r);
        ComputePool.shared().parallelFor(n, GRAIN, (start, end) -> projectRows(p, pOff, k, q, qOff, r, alpha, out, outOff, start, end));
    }

    /** {@code out[outOff + i·m + c] += alpha · Σ_j cf[cOff + i·r + j] · q[qOff + j·m + c]}. */
    public static void expandInto(float[] cf, int cOff, int n, int r, float[] q, int qOff, int m, float alpha, float[] out, int outOff) {
        check("expandInto", cf, cOff, (long) n * r, q, qOff, (long) r * m, out, outOff, (long) n * m);
        ComputePool.shared().parallelFor(n, GRAIN, (start, end) -> expandRows(cf, cOff, r, q, qOff, m, alpha, out, outOff, start, end));
    }

    /** {@code out[outOff + j·m + c] = alpha · Σ_i cf[cOff + i·r + j] · p[pOff + i·m + c]}; out is overwritten. */
    public static void outer(float[] cf, int cOff, int n, int r, float[] p, int pOff, int m, float alpha, float[] out, int outOff) {
        check("outer", cf, cOff, (long) n * r, p, pOff, (long) n * m, out, outOff, (long) r * m);
        int width = Vec.ENABLED ? 2 * Vec.L : 8;
        int groups = (m + width - 1) / width;
        ComputePool.shared().parallelFor(groups, Math.max(1, GRAIN / 8), (start, end) ->
                outerColumns(cf, cOff, n, r, p, pOff, m, alpha, out, outOff, start * width, Math.min(m, end * width)));
    }

    private static void projectRows(float[] p, int pOff, int k, float[] q, int qOff, int r, float alpha, float[] out, int outOff,
                                    int start, int end) {
        int bound = Vec.loopBound(k);
        int i = start;
        if (bound > 0 && r >= 4) {
            // two rows of P against four rows of Q: each Q load serves both rows, halving the reads of Q (which
            // streams from L2 once k is wide); per element the same sums as the one-row loop below
            for (; i + 2 <= end; i += 2) projectRowPair(p, pOff + i * k, k, q, qOff, r, alpha, out, outOff + i * r, bound);
        }
        for (; i < end; i++) {
            int pr = pOff + i * k, o = outOff + i * r;
            int j = 0;
            if (bound > 0) {
                for (; j + 4 <= r; j += 4) {
                    int q0 = qOff + j * k, q1 = q0 + k, q2 = q1 + k, q3 = q2 + k;
                    FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0, a2 = a0, a3 = a0;
                    for (int c = 0; c < bound; c += Vec.L) {
                        FloatVector x = FloatVector.fromArray(Vec.F, p, pr + c);
                        a0 = x.fma(FloatVector.fromArray(Vec.F, q, q0 + c), a0);
                        a1 = x.fma(FloatVector.fromArray(Vec.F, q, q1 + c), a1);
                        a2 = x.fma(FloatVector.fromArray(Vec.F, q, q2 + c), a2);
                        a3 = x.fma(FloatVector.fromArray(Vec.F, q, q3 + c), a3);
                    }
                    out[o + j] = alpha * (Vec.sum(a0) + dotTail(p, pr, q, q0, bound, k));
                    out[o + j + 1] = alpha * (Vec.sum(a1) + dotTail(p, pr, q, q1, bound, k));
                    out[o + j + 2] = alpha * (Vec.sum(a2) + dotTail(p, pr, q, q2, bound, k));
                    out[o + j + 3] = alpha * (Vec.sum(a3) + dotTail(p, pr, q, q3, bound, k));
                }
                for (; j < r; j++) {
                    int q0 = qOff + j * k;
                    FloatVector a0 = FloatVector.zero(Vec.F);
                    for (int c = 0; c < bound; c += Vec.L) {
                        a0 = FloatVector.fromArray(Vec.F, p, pr + c).fma(FloatVector.fromArray(Vec.F, q, q0 + c), a0);
                    }
                    out[o + j] = alpha * (Vec.sum(a0) + dotTail(p, pr, q, q0, bound, k));
                }
            }
            for (; j < r; j++) out[o + j] = alpha * dotTail(p, pr, q, qOff + j * k, 0, k);
        }
    }

    /** Rows {@code pr} and {@code pr + k} of {@link #projectRows}, r ≥ 4 and k ≥ one vector. */
    private static void projectRowPair(float[] p, int pr, int k, float[] q, int qOff, int r, float alpha, float[] out, int o, int bound) {
        int pr2 = pr + k, o2 = o + r;
        int j = 0;
        for (; j + 4 <= r; j += 4) {
            int q0 = qOff + j * k, q1 = q0 + k, q2 = q1 + k, q3 = q2 + k;
            FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int c = 0; c < bound; c += Vec.L) {
                FloatVector x = FloatVector.fromArray(Vec.F, p, pr + c), y = FloatVector.fromArray(Vec.F, p, pr2 + c);
                FloatVector w = FloatVector.fromArray(Vec.F, q, q0 + c);
                a0 = x.fma(w, a0);
                b0 = y.fma(w, b0);
                w = FloatVector.fromArray(Vec.F, q, q1 + c);
                a1 = x.fma(w, a1);
                b1 = y.fma(w, b1);
                w = FloatVector.fromArray(Vec.F, q, q2 + c);
                a2 = x.fma(w, a2);
                b2 = y.fma(w, b2);
                w = FloatVector.fromArray(Vec.F, q, q3 + c);
                a3 = x.fma(w, a3);
                b3 = y.fma(w, b3);
            }
            out[o + j] = alpha * (Vec.sum(a0) + dotTail(p, pr, q, q0, bound, k));
            out[o + j + 1] = alpha * (Vec.sum(a1) + dotTail(p, pr, q, q1, bound, k));
            out[o + j + 2] = alpha * (Vec.sum(a2) + dotTail(p, pr, q, q2, bound, k));
            out[o + j + 3] = alpha * (Vec.sum(a3) + dotTail(p, pr, q, q3, bound, k));
            out[o2 + j] = alpha * (Vec.sum(b0) + dotTail(p, pr2, q, q0, bound, k));
            out[o2 + j + 1] = alpha * (Vec.sum(b1) + dotTail(p, pr2, q, q1, bound, k));
            out[o2 + j + 2] = alpha * (Vec.sum(b2) + dotTail(p, pr2, q, q2, bound, k));
            out[o2 + j + 3] = alpha * (Vec.sum(b3) + dotTail(p, pr2, q, q3, bound, k));
        }
        for (; j < r; j++) {
            int q0 = qOff + j * k;
            FloatVector a0 = FloatVector.zero(Vec.F), b0 = a0;
            for (int c = 0; c < bound; c += Vec.L) {
                FloatVector w = FloatVector.fromArray(Vec.F, q, q0 + c);
                a0 = FloatVector.fromArray(Vec.F, p, pr + c).fma(w, a0);
                b0 = FloatVector.fromArray(Vec.F, p, pr2 + c).fma(w, b0);
            }
            out[o + j] = alpha * (Vec.sum(a0) + dotTail(p, pr, q, q0, bound, k));
            out[o2 + j] = alpha * (Vec.sum(b0) + dotTail(p, pr2, q, q0, bound, k));
        }
    }

    private static float dotTail(float[] p, int pr, float[] q, int qr, int from, int k) {
        float s = 0f;
        for (int c = from; c < k; c++) s = Math.fma(p[pr + c], q[qr + c], s);
        return s;
    }

    private static void expandRows(float[] cf, int cOff, int r, float[] q, int qOff, int m, float alpha, float[] out, int outOff,
                                   int start, int end) {
        int wide = Vec.ENABLED ? 4 * Vec.L : 0;
        int bound4 = wide == 0 ? 0 : m - m % wide, bound = Vec.loopBound(m);
        int i0 = start;
        // two rows at a time over the 4-vector chunks: each load of Q serves both rows (the same fused
        // multiply-adds per element, in the same order, as the one-row loop)
        for (; bound4 > 0 && i0 + 2 <= end; i0 += 2) {
            int o = outOff + i0 * m, o2 = o + m, ci = cOff + i0 * r, ci2 = ci + r;
            for (int c = 0; c < bound4; c += wide) {
                FloatVector a0 = FloatVector.fromArray(Vec.F, out, o + c), a1 = FloatVector.fromArray(Vec.F, out, o + c + Vec.L);
                FloatVector a2 = FloatVector.fromArray(Vec.F, out, o + c + 2 * Vec.L), a3 = FloatVector.fromArray(Vec.F, out, o + c + 3 * Vec.L);
                FloatVector b0 = FloatVector.fromArray(Vec.F, out, o2 + c), b1 = FloatVector.fromArray(Vec.F, out, o2 + c + Vec.L);
                FloatVector b2 = FloatVector.fromArray(Vec.F, out, o2 + c + 2 * Vec.L), b3 = FloatVector.fromArray(Vec.F, out, o2 + c + 3 * Vec.L);
                for (int j = 0; j < r; j++) {
                    FloatVector w = FloatVector.broadcast(Vec.F, alpha * cf[ci + j]), v = FloatVector.broadcast(Vec.F, alpha * cf[ci2 + j]);
                    int qr = qOff + j * m + c;
                    FloatVector x = FloatVector.fromArray(Vec.F, q, qr);
                    a0 = w.fma(x, a0);
                    b0 = v.fma(x, b0);
                    x = FloatVector.fromArray(Vec.F, q, qr + Vec.L);
                    a1 = w.fma(x, a1);
                    b1 = v.fma(x, b1);
                    x = FloatVector.fromArray(Vec.F, q, qr + 2 * Vec.L);
                    a2 = w.fma(x, a2);
                    b2 = v.fma(x, b2);
                    x = FloatVector.fromArray(Vec.F, q, qr + 3 * Vec.L);
                    a3 = w.fma(x, a3);
                    b3 = v.fma(x, b3);
                }
                a0.intoArray(out, o + c);
                a1.intoArray(out, o + c + Vec.L);
                a2.intoArray(out, o + c + 2 * Vec.L);
                a3.intoArray(out, o + c + 3 * Vec.L);
                b0.intoArray(out, o2 + c);
                b1.intoArray(out, o2 + c + Vec.L);
                b2.intoArray(out, o2 + c + 2 * Vec.L);
                b3.intoArray(out, o2 + c + 3 * Vec.L);
            }
            expandTail(cf, ci, r, q, qOff, m, alpha, out, o, bound4, bound);
            expandTail(cf, ci2, r, q, qOff, m, alpha, out, o2, bound4, bound);
        }
        for (int i = i0; i < end; i++) {
            int o = outOff + i * m, ci = cOff + i * r;
            int c = 0;
            for (; c < bound4; c += wide) {
                FloatVector a0 = FloatVector.fromArray(Vec.F, out, o + c), a1 = FloatVector.fromArray(Vec.F, out, o + c + Vec.L);
                FloatVector a2 = FloatVector.fromArray(Vec.F, out, o + c + 2 * Vec.L), a3 = FloatVector.fromArray(Vec.F, out, o + c + 3 * Vec.L);
                for (int j = 0; j < r; j++) {
                    FloatVector w = FloatVector.broadcast(Vec.F, alpha * cf[ci + j]);
                    int qr = qOff + j * m + c;
                    a0 = w.fma(FloatVector.fromArray(Vec.F, q, qr), a0);
                    a1 = w.fma(FloatVector.fromArray(Vec.F, q, qr + Vec.L), a1);
                    a2 = w.fma(FloatVector.fromArray(Vec.F, q, qr + 2 * Vec.L), a2);
                    a3 = w.fma(FloatVector.fromArray(Vec.F, q, qr + 3 * Vec.L), a3);
                }
                a0.intoArray(out, o + c);
                a1.intoArray(out, o + c + Vec.L);
                a2.intoArray(out, o + c + 2 * Vec.L);
                a3.intoArray(out, o + c + 3 * Vec.L);
            }
            expandTail(cf, ci, r, q, qOff, m, alpha, out, o, c, bound);
        }
    }

    /** Columns {@code [c, m)} of one row of {@link #expandRows}: single vectors up to {@code bound}, then scalars. */
    private static void expandTail(float[] cf, int ci, int r, float[] q, int qOff, int m, float alpha, float[] out, int o, int c, int bound) {
        for (; c < bound; c += Vec.L) {
            FloatVector a0 = FloatVector.fromArray(Vec.F, out, o + c);
            for (int j = 0; j < r; j++) {
                a0 = FloatVector.broadcast(Vec.F, alpha * cf[ci + j]).fma(FloatVector.fromArray(Vec.F, q, qOff + j * m + c), a0);
            }
            a0.intoArray(out, o + c);
        }
        for (; c < m; c++) {
            float s = out[o + c];
            for (int j = 0; j < r; j++) s = Math.fma(alpha * cf[ci + j], q[qOff + j * m + c], s);
            out[o + c] = s;
        }
    }

    private static void outerColumns(float[] cf, int cOff, int n, int r, float[] p, int pOff, int m, float alpha, float[] out,
                                     int outOff, int c0, int c1) {
        int c = c0;
        if (Vec.ENABLED) {
            int pair = 2 * Vec.L;
            for (; c + pair <= c1; c += pair) {
                int j = 0;
                for (; j + 4 <= r; j += 4) {
                    FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                    for (int i = 0; i < n; i++) {
                        int pr = pOff + i * m + c, ci = cOff + i * r + j;
                        FloatVector x = FloatVector.fromArray(Vec.F, p, pr), y = FloatVector.fromArray(Vec.F, p, pr + Vec.L);
                        FloatVector w0 = FloatVector.broadcast(Vec.F, cf[ci]), w1 = FloatVector.broadcast(Vec.F, cf[ci + 1]);
                        FloatVector w2 = FloatVector.broadcast(Vec.F, cf[ci + 2]), w3 = FloatVector.broadcast(Vec.F, cf[ci + 3]);
                        a0 = w0.fma(x, a0);
                        b0 = w0.fma(y, b0);
                        a1 = w1.fma(x, a1);
                        b1 = w1.fma(y, b1);
                        a2 = w2.fma(x, a2);
                        b2 = w2.fma(y, b2);
                        a3 = w3.fma(x, a3);
                        b3 = w3.fma(y, b3);
                    }
                    int o = outOff + j * m + c;
                    a0.mul(alpha).intoArray(out, o);
                    b0.mul(alpha).intoArray(out, o + Vec.L);
                    a1.mul(alpha).intoArray(out, o + m);
                    b1.mul(alpha).intoArray(out, o + m + Vec.L);
                    a2.mul(alpha).intoArray(out, o + 2 * m);
                    b2.mul(alpha).intoArray(out, o + 2 * m + Vec.L);
                    a3.mul(alpha).intoArray(out, o + 3 * m);
                    b3.mul(alpha).intoArray(out, o + 3 * m + Vec.L);
                }
                for (; j < r; j++) {
                    FloatVector a0 = FloatVector.zero(Vec.F), b0 = a0;
                    for (int i = 0; i < n; i++) {
                        int pr = pOff + i * m + c;
                        FloatVector w0 = FloatVector.broadcast(Vec.F, cf[cOff + i * r + j]);
                        a0 = w0.fma(FloatVector.fromArray(Vec.F, p, pr), a0);
                        b0 = w0.fma(FloatVector.fromArray(Vec.F, p, pr + Vec.L), b0);
                    }
                    int o = outOff + j * m + c;
                    a0.mul(alpha).intoArray(out, o);
                    b0.mul(alpha).intoArray(out, o + Vec.L);
                }
            }
        }
        for (; c < c1; c++) {
            for (int j = 0; j < r; j++) {
                float s = 0f;
                for (int i = 0; i < n; i++) s = Math.fma(cf[cOff + i * r + j], p[pOff + i * m + c], s);
                out[outOff + j * m + c] = alpha * s;
            }
        }
    }

    private static void check(String op, float[] a, int aOff, long aLen, float[] b, int bOff, long bLen, float[] out, int outOff, long outLen) {
        if (aOff < 0 || aOff + aLen > a.length || bOff < 0 || bOff + bLen > b.length || outOff < 0 || outOff + outLen > out.length) {
            throw new IllegalArgumentException("LowRank." + op + ": operands need " + aLen + " floats from " + aOff + ", " + bLen
                    + " from " + bOff + " and " + outLen + " from " + outOff + " but have " + a.length + ", " + b.length + " and "
                    + out.length);
        }
    }
}
