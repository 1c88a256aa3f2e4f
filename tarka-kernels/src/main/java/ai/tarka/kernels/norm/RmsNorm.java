package ai.tarka.kernels.norm;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * RMS normalisation over the last dimension: {@code out = x·rstd·weight} with
 * {@code rstd = 1/√(mean(x²) + eps)}. Forward saves rstd per row. A null weight means all ones.
 */
public final class RmsNorm {
    private RmsNorm() {}

    /** out[N,C], rstd[N] from inp[N,C] and weight[C] (weight may be null). */
    public static void forward(float[] out, float[] rstd, float[] inp, float[] weight, int n, int c, float eps) {
        forward(out, rstd, inp, weight, n, c, eps, Vec.ENABLED);
    }

    /**
     * Residual add fused with the norm: sum[N,C] = x + residual, out = rmsNorm(sum); the sum of squares
     * is accumulated while the sum is written, so the norm costs one more pass instead of two.
     */
    public static void addForward(float[] sum, float[] out, float[] rstd, float[] x, float[] residual, float[] weight,
                                  int n, int c, float eps) {
        addForward(sum, out, rstd, x, residual, weight, n, c, eps, Vec.ENABLED);
    }

    /** dinp[N,C] += ∂/∂inp and dweight[C] += Σ_n dout·x̂; either may be null (not wanted). */
    public static void backward(float[] dinp, float[] dweight, float[] dout, float[] inp, float[] weight, float[] rstd,
                                int n, int c) {
        backward(dinp, dweight, dout, inp, weight, rstd, n, c, Vec.ENABLED);
    }

    static void forward(float[] out, float[] rstd, float[] inp, float[] weight, int n, int c, float eps, boolean vector) {
        float[] w = NormRows.onesIfNull(weight, c);
        ComputePool.shared().parallelFor(n, NormRows.rowGrain(c), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float rs = (float) (1.0 / Math.sqrt(NormRows.sumSquares(inp, off, c, 0f, vector) / c + eps));
                rstd[r] = rs;
                scaleRow(out, inp, w, off, c, rs, vector);
            }
        });
    }

    static void addForward(float[] sum, float[] out, float[] rstd, float[] x, float[] residual, float[] weight,
                           int n, int c, float eps, boolean vector) {
        float[] w = NormRows.onesIfNull(weight, c);
        ComputePool.shared().parallelFor(n, NormRows.rowGrain(c), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float ss = NormRows.addStore(sum, x, residual, off, c, true, vector);
                float rs = (float) (1.0 / Math.sqrt(ss / c + eps));
                rstd[r] = rs;
                scaleRow(out, sum, w, off, c, rs, vector);
            }
        });
    }

    private static void scaleRow(float[] out, float[] inp, float[] w, int off, int c, float rs, boolean vector) {
        int i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, inp, off + i).mul(rs).mul(FloatVector.fromArray(Vec.F, w, i))
                        .intoArray(out, off + i);
            }
        }
        for (; i < c; i++) out[off + i] = inp[off + i] * rs * w[i];
    }

    static void backward(float[] dinp, float[] dweight, float[] dout, float[] inp, float[] weight, float[] rstd,
                         int n, int c, boolean vector) {
        float[] w = NormRows.onesIfNull(weight, c);
        NormRows.backward(n, c, dweight, null, (r0, r1, dw, db, pOff) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float rs = rstd[r];
                if (dinp != null) inputGradRow(dinp, dout, inp, w, off, c, rs, vector);
                if (dw != null) weightGradRow(dw, pOff, dout, inp, off, c, rs, vector);
            }
        });
    }

    /** dx = rstd·(dn − x̂·mean(dn·x̂)) with dn = dout·weight and x̂ = x·rstd. */
    private static void inputGradRow(float[] dinp, float[] dout, float[] inp, float[] w, int off, int c, float rs,
                                     boolean vector) {
        int i = 0;
        float sumDnX = 0f;
        if (vector) {
            FloatVector a0 = FloatVector.zero(Vec.F), a1 = FloatVector.zero(Vec.F);
            for (int bound = c - 2 * Vec.L; i <= bound; i += 2 * Vec.L) {
                FloatVector dn0 = FloatVector.fromArray(Vec.F, dout, off + i).mul(FloatVector.fromArray(Vec.F, w, i));
                FloatVector dn1 = FloatVector.fromArray(Vec.F, dout, off + i + Vec.L)
                        .mul(FloatVector.fromArray(Vec.F, w, i + Vec.L));
                a0 = dn0.fma(FloatVector.fromArray(Vec.F, inp, off + i), a0);
                a1 = dn1.fma(FloatVector.fromArray(Vec.F, inp, off + i + Vec.L), a1);
            }
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector dn0 = FloatVector.fromArray(Vec.F, dout, off + i).mul(FloatVector.fromArray(Vec.F, w, i));
                a0 = dn0.fma(FloatVector.fromArray(Vec.F, inp, off + i), a0);
            }
            sumDnX = Vec.sum(a0.add(a1));
        }
        for (; i < c; i++) sumDnX += dout[off + i] * w[i] * inp[off + i];
        // x̂·mean(dn·x̂)·rstd = x·(rstd³·Σ dn·x / c)
        float k = sumDnX * rs * rs * rs / c;
        i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector dn = FloatVector.fromArray(Vec.F, dout, off + i).mul(FloatVector.fromArray(Vec.F, w, i));
                FloatVector x = FloatVector.fromArray(Vec.F, inp, off + i);
                FloatVector g = dn.mul(rs).sub(x.mul(k));
                g.add(FloatVector.fromArray(Vec.F, dinp, off + i)).intoArray(dinp, off + i);
            }
        }
        for (; i < c; i++) dinp[off + i] += dout[off + i] * w[i] * rs - inp[off + i] * k;
    }

    private static void weightGradRow(float[] dw, int pOff, float[] dout, float[] inp, int off, int c, float rs,
                                      boolean vector) {
        int i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector xhat = FloatVector.fromArray(Vec.F, inp, off + i).mul(rs);
                FloatVector.fromArray(Vec.F, dout, off + i).fma(xhat, FloatVector.fromArray(Vec.F, dw, pOff + i))
                        .intoArray(dw, pOff + i);
            }
        }
        for (; i < c; i++) dw[pOff + i] += dout[off + i] * inp[off + i] * rs;
    }
}
