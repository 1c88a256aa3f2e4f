package ai.tarka.kernels.norm;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * Layer normalisation over the last dimension: {@code out = (x − mean)·rstd·weight + bias} with
 * {@code rstd = 1/√(var + eps)} (biased variance, computed in a second pass over the row for
 * stability). Forward saves mean and rstd per row; backward recomputes x̂ from them.
 */
public final class LayerNorm {
    private LayerNorm() {}

    /** out[N,C], mean[N], rstd[N] from inp[N,C], weight[C], bias[C] (bias may be null). */
    public static void forward(float[] out, float[] mean, float[] rstd, float[] inp, float[] weight, float[] bias,
                               int n, int c, float eps) {
        forward(out, mean, rstd, inp, weight, bias, n, c, eps, Vec.ENABLED);
    }

    /**
     * Residual add fused with the norm: sum[N,C] = x + residual, then out = layerNorm(sum). The sum is
     * written while the mean is accumulated, saving one pass over memory.
     */
    public static void addForward(float[] sum, float[] out, float[] mean, float[] rstd, float[] x, float[] residual,
                                  float[] weight, float[] bias, int n, int c, float eps) {
        addForward(sum, out, mean, rstd, x, residual, weight, bias, n, c, eps, Vec.ENABLED);
    }

    /**
     * dinp[N,C] += ∂/∂inp, dweight[C] += Σ_n dout·x̂, dbias[C] += Σ_n dout, given the saved mean/rstd.
     * Any of dinp, dweight, dbias may be null (not wanted).
     */
    public static void backward(float[] dinp, float[] dweight, float[] dbias, float[] dout, float[] inp,
                                float[] weight, float[] mean, float[] rstd, int n, int c) {
        backward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, n, c, Vec.ENABLED);
    }

    static void forward(float[] out, float[] mean, float[] rstd, float[] inp, float[] weight, float[] bias,
                        int n, int c, float eps, boolean vector) {
        ComputePool.shared().parallelFor(n, NormRows.rowGrain(c), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float m = NormRows.sum(inp, off, c, vector) / c;
                float rs = (float) (1.0 / Math.sqrt(NormRows.sumSquares(inp, off, c, m, vector) / c + eps));
                mean[r] = m;
                rstd[r] = rs;
                normaliseRow(out, inp, weight, bias, off, c, m, rs, vector);
            }
        });
    }

    static void addForward(float[] sum, float[] out, float[] mean, float[] rstd, float[] x, float[] residual,
                           float[] weight, float[] bias, int n, int c, float eps, boolean vector) {
        ComputePool.shared().parallelFor(n, NormRows.rowGrain(c), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float m = NormRows.addStore(sum, x, residual, off, c, false, vector) / c;
                float rs = (float) (1.0 / Math.sqrt(NormRows.sumSquares(sum, off, c, m, vector) / c + eps));
                mean[r] = m;
                rstd[r] = rs;
                normaliseRow(out, sum, weight, bias, off, c, m, rs, vector);
            }
        });
    }

    private static void normaliseRow(float[] out, float[] inp, float[] w, float[] b, int off, int c, float m, float rs,
                                     boolean vector) {
        int i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector xhat = FloatVector.fromArray(Vec.F, inp, off + i).sub(m).mul(rs);
                FloatVector wv = FloatVector.fromArray(Vec.F, w, i);
                FloatVector y = b != null ? xhat.fma(wv, FloatVector.fromArray(Vec.F, b, i)) : xhat.mul(wv);
                y.intoArray(out, off + i);
            }
        }
        for (; i < c; i++) {
            float y = (inp[off + i] - m) * rs * w[i];
            out[off + i] = b != null ? y + b[i] : y;
        }
    }

    static void backward(float[] dinp, float[] dweight, float[] dbias, float[] dout, float[] inp, float[] weight,
                         float[] mean, float[] rstd, int n, int c, boolean vector) {
        NormRows.backward(n, c, dweight, dbias, (r0, r1, dw, db, pOff) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float m = mean[r], rs = rstd[r];
                if (dinp != null) inputGradRow(dinp, dout, inp, weight, off, c, m, rs, vector);
                if (dw != null || db != null) paramGradRow(dw, db, pOff, dout, inp, off, c, m, rs, vector);
            }
        });
    }

    /** dx = rstd·(dn − mean(dn) − x̂·mean(dn·x̂)) with dn = dout·weight. */
    private static void inputGradRow(float[] dinp, float[] dout, float[] inp, float[] w, int off, int c, float m,
                                     float rs, boolean vector) {
        int i = 0;
        float sumDn = 0f, sumDnX = 0f;
        if (vector) {
            FloatVector a0 = FloatVector.zero(Vec.F), b0 = FloatVector.zero(Vec.F);
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector xhat = FloatVector.fromArray(Vec.F, inp, off + i).sub(m).mul(rs);
                FloatVector dn = FloatVector.fromArray(Vec.F, dout, off + i).mul(FloatVector.fromArray(Vec.F, w, i));
                a0 = a0.add(dn);
                b0 = dn.fma(xhat, b0);
            }
            sumDn = Vec.sum(a0);
            sumDnX = Vec.sum(b0);
        }
        for (; i < c; i++) {
            float xhat = (inp[off + i] - m) * rs;
            float dn = dout[off + i] * w[i];
            sumDn += dn;
            sumDnX += dn * xhat;
        }
        float meanDn = sumDn / c, meanDnX = sumDnX / c;
        i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector xhat = FloatVector.fromArray(Vec.F, inp, off + i).sub(m).mul(rs);
                FloatVector dn = FloatVector.fromArray(Vec.F, dout, off + i).mul(FloatVector.fromArray(Vec.F, w, i));
                FloatVector g = xhat.fma(-meanDnX, -meanDn).add(dn).mul(rs);
                g.add(FloatVector.fromArray(Vec.F, dinp, off + i)).intoArray(dinp, off + i);
            }
        }
        for (; i < c; i++) {
            float xhat = (inp[off + i] - m) * rs;
            float dn = dout[off + i] * w[i];
            dinp[off + i] += (dn - meanDn - xhat * meanDnX) * rs;
        }
    }

    private static void paramGradRow(float[] dw, float[] db, int pOff, float[] dout, float[] inp, int off, int c,
                                     float m, float rs, boolean vector) {
        int i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector d = FloatVector.fromArray(Vec.F, dout, off + i);
                if (dw != null) {
                    FloatVector xhat = FloatVector.fromArray(Vec.F, inp, off + i).sub(m).mul(rs);
                    d.fma(xhat, FloatVector.fromArray(Vec.F, dw, pOff + i)).intoArray(dw, pOff + i);
                }
                if (db != null) d.add(FloatVector.fromArray(Vec.F, db, pOff + i)).intoArray(db, pOff + i);
            }
        }
        for (; i < c; i++) {
            float d = dout[off + i];
            if (dw != null) dw[pOff + i] += d * (inp[off + i] - m) * rs;
            if (db != null) db[pOff + i] += d;
        }
    }
}
