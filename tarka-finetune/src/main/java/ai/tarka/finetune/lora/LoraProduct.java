package ai.tarka.finetune.lora;

import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Tensor;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.Gemms;

/**
 * {@code y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ} as ONE autograd op, for adapters without dropout or DoRA. Built from engine ops it
 * would keep three {@code [N, out]} tensors per layer alive until the backward pass (the base product, the update
 * and their sum); here the update is added into the base product's buffer and only the {@code [N, r]} tensor
 * {@code x·Aᵀ} is kept besides the input. Backward: {@code ∂B = s·∂yᵀ·(x·Aᵀ)}, {@code ∂(x·Aᵀ) = s·∂y·B},
 * {@code ∂A = ∂(x·Aᵀ)ᵀ·x}, {@code ∂x = ∂y·W + ∂(x·Aᵀ)·A}; the frozen W gets no gradient and costs no work beyond
 * {@code ∂y·W}, which the input needs anyway.
 */
final class LoraProduct {
    private LoraProduct() {}

    static Tensor apply(BaseWeight base, ai.tarka.nn.layers.Linear layer, Tensor x, Tensor a, Tensor b, float scaling) {
        int in = layer.inFeatures(), out = layer.outFeatures(), r = a.size(0);
        if (x.size(-1) != in) {
            throw new ShapeException("lora_linear", "input's last dimension must be in_features=" + in, x.shape(), a.shape(), b.shape());
        }
        int n = x.numel() / in;
        Tensor xc = dense(x);
        float[] xv = xc.data();
        int xOff = xc.offset();
        Tensor ac = dense(a), bc = dense(b);
        Gemm gemm = Gemms.get();
        float[] y = new float[n * out];
        base.multiply(layer, xv, xOff, n, y);
        float[] xa = new float[n * r];
        gemm.sgemm(false, true, n, r, in, 1f, xv, xOff, in, ac.data(), ac.offset(), in, 0f, xa, 0, r);
        gemm.sgemm(false, true, n, out, r, scaling, xa, 0, r, bc.data(), bc.offset(), r, 1f, y, 0, out);
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor result = Tensor.of(y, shape);
        return Tensor.record("lora_linear", result, g -> {
            Tensor gc = dense(g);
            float[] gy = gc.data();
            int gOff = gc.offset();
            Tensor ab = dense(a), bb = dense(b);
            if (b.requiresGrad()) {
                float[] gb = new float[out * r];
                gemm.sgemm(true, false, out, r, n, scaling, gy, gOff, out, xa, 0, r, 0f, gb, 0, r);
                b.accumulateGradOwned(Tensor.of(gb, out, r));
            }
            float[] gxa = new float[n * r];
            gemm.sgemm(false, false, n, r, out, scaling, gy, gOff, out, bb.data(), bb.offset(), r, 0f, gxa, 0, r);
            if (a.requiresGrad()) {
                float[] ga = new float[r * in];
                gemm.sgemm(true, false, r, in, n, 1f, gxa, 0, r, xv, xOff, in, 0f, ga, 0, in);
                a.accumulateGradOwned(Tensor.of(ga, r, in));
            }
            if (x.requiresGrad()) {
                float[] gx = new float[n * in];
                base.multiplyGradient(layer, gy, gOff, n, gx);
                gemm.sgemm(false, false, n, in, r, 1f, gxa, 0, r, ab.data(), ab.offset(), in, 1f, gx, 0, in);
                x.accumulateGradOwned(Tensor.of(gx, x.shape()));
            }
        }, x, a, b);
    }

    /** t itself when its elements lie densely in row-major order from its offset, else a contiguous copy. */
    private static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : t.contiguous();
    }
}
