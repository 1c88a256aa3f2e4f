package ai.tarka.engine;

import ai.tarka.kernels.norm.LayerNorm;
import ai.tarka.kernels.norm.RmsNorm;

/**
 * Layer norm and RMS norm over the last dimension, plus the residual-add + norm fusion of a pre-norm
 * transformer block ({@code h = h + f(norm(h))}: the add and the next norm share one pass).
 */
public final class Norms {
    private Norms() {}

    /**
     * Result of a fused residual add + norm: {@code sum = x + residual} (the new residual stream) and
     * {@code normed = norm(sum)}. Both are in the autograd graph; gradients reaching either one flow
     * back to x, residual and the norm's parameters.
     */
    public record AddNorm(Tensor sum, Tensor normed) {}

    /**
     * {@code (x − mean)/√(var + eps)·weight + bias} over the last dimension (biased variance).
     *
     * @param x      [..., C]
     * @param weight [C]
     * @param bias   [C], or null for none
     */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int c = checkNorm("layerNorm", x, weight, bias, eps, true);
        int n = KernelArrays.leadingRows(x.shape());
        float[] in = KernelArrays.dense(x), w = KernelArrays.dense(weight), b = bias == null ? null : KernelArrays.dense(bias);
        float[] out = new float[n * c], mean = new float[n], rstd = new float[n];
        LayerNorm.forward(out, mean, rstd, in, w, b, n, c, eps);
        return recordLayerNorm("layerNorm", Tensor.of(out, x.shape()), x, in, weight, w, bias, mean, rstd, n, c);
    }

    /**
     * {@code x/√(mean(x²) + eps)·weight} over the last dimension.
     *
     * @param x      [..., C]
     * @param weight [C], or null for none (all ones)
     */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        int c = checkNorm("rmsNorm", x, weight, null, eps, false);
        int n = KernelArrays.leadingRows(x.shape());
        float[] in = KernelArrays.dense(x), w = weight == null ? null : KernelArrays.dense(weight);
        float[] out = new float[n * c], rstd = new float[n];
        RmsNorm.forward(out, rstd, in, w, n, c, eps);
        return recordRmsNorm("rmsNorm", Tensor.of(out, x.shape()), x, in, weight, w, rstd, n, c);
    }

    /** Fused {@code sum = x + residual; normed = rmsNorm(sum, weight, eps)} (same shapes, no broadcasting). */
    public static AddNorm addRmsNorm(Tensor x, Tensor residual, Tensor weight, float eps) {
        checkResidual("addRmsNorm", x, residual);
        int c = checkNorm("addRmsNorm", x, weight, null, eps, false);
        int n = KernelArrays.leadingRows(x.shape());
        float[] w = weight == null ? null : KernelArrays.dense(weight);
        float[] sum = new float[n * c], out = new float[n * c], rstd = new float[n];
        RmsNorm.addForward(sum, out, rstd, KernelArrays.dense(x), KernelArrays.dense(residual), w, n, c, eps);
        Tensor sumT = recordSum("addRmsNorm.add", Tensor.of(sum, x.shape()), x, residual);
        Tensor normed = recordRmsNorm("addRmsNorm", Tensor.of(out, x.shape()), sumT, sum, weight, w, rstd, n, c);
        return new AddNorm(sumT, normed);
    }

    /** Fused {@code sum = x + residual; normed = layerNorm(sum, weight, bias, eps)} (same shapes, no broadcasting). */
    public static AddNorm addLayerNorm(Tensor x, Tensor residual, Tensor weight, Tensor bias, float eps) {
        checkResidual("addLayerNorm", x, residual);
        int c = checkNorm("addLayerNorm", x, weight, bias, eps, true);
        int n = KernelArrays.leadingRows(x.shape());
        float[] w = KernelArrays.dense(weight), b = bias == null ? null : KernelArrays.dense(bias);
        float[] sum = new float[n * c], out = new float[n * c], mean = new float[n], rstd = new float[n];
        LayerNorm.addForward(sum, out, mean, rstd, KernelArrays.dense(x), KernelArrays.dense(residual), w, b, n, c, eps);
        Tensor sumT = recordSum("addLayerNorm.add", Tensor.of(sum, x.shape()), x, residual);
        Tensor normed = recordLayerNorm("addLayerNorm", Tensor.of(out, x.shape()), sumT, sum, weight, w, bias, mean, rstd, n, c);
        return new AddNorm(sumT, normed);
    }

    private static Tensor recordLayerNorm(String op, Tensor out, Tensor x, float[] in, Tensor weight, float[] w,
                                          Tensor bias, float[] mean, float[] rstd, int n, int c) {
        return Tensor.record(op, out, g -> {
            float[] dx = x.requiresGrad() ? new float[n * c] : null;
            float[] dw = weight.requiresGrad() ? new float[c] : null;
            float[] db = bias != null && bias.requiresGrad() ? new float[c] : null;
            LayerNorm.backward(dx, dw, db, KernelArrays.dense(g), in, w, mean, rstd, n, c);
            if (dx != null) x.accumulateGradOwned(Tensor.of(dx, x.shape()));
            if (dw != null) weight.accumulateGradOwned(Tensor.of(dw, weight.shape()));
            if (db != null) bias.accumulateGradOwned(Tensor.of(db, bias.shape()));
        }, x, weight, bias);
    }

    private static Tensor recordRmsNorm(String op, Tensor out, Tensor x, float[] in, Tensor weight, float[] w,
                                        float[] rstd, int n, int c) {
        return Tensor.record(op, out, g -> {
            float[] dx = x.requiresGrad() ? new float[n * c] : null;
            float[] dw = weight != null && weight.requiresGrad() ? new float[c] : null;
            RmsNorm.backward(dx, dw, KernelArrays.dense(g), in, w, rstd, n, c);
            if (dx != null) x.accumulateGradOwned(Tensor.of(dx, x.shape()));
            if (dw != null) weight.accumulateGradOwned(Tensor.of(dw, weight.shape()));
        }, x, weight);
    }

    private static Tensor recordSum(String op, Tensor sum, Tensor x, Tensor residual) {
        return Tensor.record(op, sum, g -> {
            x.accumulateGradDonated(g, g);
            residual.accumulateGrad(g);
        }, x, residual);
    }

    /** Validates shapes and eps; returns C. */
    private static int checkNorm(String op, Tensor x, Tensor weight, Tensor bias, float eps, boolean weightRequired) {
        if (x.dim() == 0) throw new ShapeException(op, "needs x with at least one dimension [..., C]", x.shape());
        int c = x.size(-1);
        if (weight == null && weightRequired) {
            throw new ShapeException(op, "weight is required (shape [" + c + "])", x.shape());
        }
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) {
            throw new ShapeException(op, "weight must have shape [C] = [" + c + "] for x [..., C]", x.shape(), weight.shape());
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != c)) {
            throw new ShapeException(op, "bias must have shape [C] = [" + c + "] for x [..., C]", x.shape(), bias.shape());
        }
        if (!(eps >= 0f) || Float.isInfinite(eps)) {
            throw new ShapeException(op, "eps must be finite and >= 0, got " + eps, x.shape());
        }
        return c;
    }

    private static void checkResidual(String op, Tensor x, Tensor residual) {
        if (!x.sameShape(residual)) {
            throw new ShapeException(op, "x and residual must have the same shape", x.shape(), residual.shape());
        }
    }
}
