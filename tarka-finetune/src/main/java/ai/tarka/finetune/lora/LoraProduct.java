package ai.tarka.finetune.lora;

import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Tensor;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.Gemms;
import ai.tarka.kernels.gemm.LowRank;

/**
 * {@code y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ} as ONE autograd op, for adapters without dropout or DoRA. Built from engine ops it
 * would keep three {@code [N, out]} tensors per layer alive until the backward pass (the base product, the update
 * and their sum); here the update is added into the base product's buffer and only the {@code [N, r]} tensor
 * {@code x·Aᵀ} is kept besides the input. Backward: {@code ∂B = s·∂yᵀ·(x·Aᵀ)}, {@code ∂(x·Aᵀ) = s·∂y·B},
 * {@code ∂A = ∂(x·Aᵀ)ᵀ·x}, {@code ∂x = ∂y·W + ∂(x·Aᵀ)·A}; the frozen W gets no gradient and costs no work beyond
 * {@code ∂y·W}, which the input needs anyway. The six rank-r products run on {@link LowRank}'s loops, which read
 * each [N, in] or [N, out] operand once, where a general GEMM with one dimension r spends more on packing and thread
 * hand-off than on arithmetic ({@code -Dtarka.lora.gemmAdapters=true} keeps the GEMM path, for comparison).
 */
final class LoraProduct {
    private LoraProduct() {}

    private static final boolean GEMM_ADAPTERS = Boolean.getBoolean("tarka.lora.gemmAdapters");

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
        // B's r columns as r rows: the forward expansion and the backward projection both read it this way
        float[] bt = GEMM_ADAPTERS ? null : transposed(bc, out, r);
        if (GEMM_ADAPTERS) {
            gemm.sgemm(false, true, n, r, in, 1f, xv, xOff, in, ac.data(), ac.offset(), in, 0f, xa, 0, r);
            gemm.sgemm(false, true, n, out, r, scaling, xa, 0, r, bc.data(), bc.offset(), r, 1f, y, 0, out);
        } else {
            LowRank.project(xv, xOff, n, in, ac.data(), ac.offset(), r, 1f, xa, 0);
            LowRank.expandInto(xa, 0, n, r, bt, 0, out, scaling, y, 0);
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor result = Tensor.of(y, shape);
        return Tensor.record("lora_linear", result, g -> {
            Tensor gc = dense(g);
            float[] gy = gc.data();
            int gOff = gc.offset();
            if (GEMM_ADAPTERS) {
                gemmBackward(gemm, base, layer, x, a, b, xv, xOff, xa, gy, gOff, ac, bc, scaling, n, in, out, r);
                return;
            }
            if (b.requiresGrad()) {
                float[] gbt = new float[r * out];
                LowRank.outer(xa, 0, n, r, gy, gOff, out, scaling, gbt, 0);
                b.accumulateGradOwned(Tensor.of(transposed(gbt, r, out), out, r));
            }
            float[] gxa = new float[n * r];
            LowRank.project(gy, gOff, n, out, bt, 0, r, scaling, gxa, 0);
            if (a.requiresGrad()) {
                float[] ga = new float[r * in];
                LowRank.outer(gxa, 0, n, r, xv, xOff, in, 1f, ga, 0);
                a.accumulateGradOwned(Tensor.of(ga, r, in));
            }
            if (x.requiresGrad()) {
                float[] gx = new float[n * in];
                base.multiplyGradient(layer, gy, gOff, n, gx);
                LowRank.expandInto(gxa, 0, n, r, ac.data(), ac.offset(), in, 1f, gx, 0);
                x.accumulateGradOwned(Tensor.of(gx, x.shape()));
            }
        }, x, a, b);
    }

    private static void gemmBackward(Gemm gemm, BaseWeight base, ai.tarka.nn.layers.Linear layer, Tensor x, Tensor a, Tensor b,
                                     float[] xv, int xOff, float[] xa, float[] gy, int gOff, Tensor ab, Tensor bb, float scaling,
                                     int n, int in, int out, int r) {
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
    }

    /** {@code [cols, rows]} copy of a dense row-major {@code [rows, cols]} matrix (B's r columns as r rows). */
    private static float[] transposed(Tensor t, int rows, int cols) {
        return transposed(t.data(), t.offset(), rows, cols);
    }

    private static float[] transposed(float[] m, int rows, int cols) {
        return transposed(m, 0, rows, cols);
    }

    private static float[] transposed(float[] m, int off, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) t[j * rows + i] = m[off + i * cols + j];
        }
        return t;
    }

    /** t itself when its elements lie densely in row-major order from its offset, else a contiguous copy. */
    private static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : t.contiguous();
    }
}
