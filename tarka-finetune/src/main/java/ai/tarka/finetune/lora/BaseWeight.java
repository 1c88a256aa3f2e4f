package ai.tarka.finetune.lora;

import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Tensor;
import ai.tarka.kernels.gemm.Gemms;
import ai.tarka.nn.layers.Linear;

/** The frozen base of an adapted linear layer: its product with the input and its dense weight. */
public interface BaseWeight {

    /**
     * {@code x · Wᵀ} without the bias; x has any leading dimensions. By default an autograd op over {@link #multiply}
     * whose backward gives only the input's gradient through {@link #multiplyGradient} (W is frozen).
     */
    default Tensor matmul(Linear layer, Tensor x) {
        return frozenProduct(this, layer, layer.inFeatures(), layer.outFeatures(), x);
    }

    /** {@link #matmul}'s autograd op for a weight {@code [out, in]} (which may know its shape without the layer). */
    static Tensor frozenProduct(BaseWeight w, Linear layer, int in, int out, Tensor x) {
        if (x.size(-1) != in) {
            throw new ShapeException("frozen_linear", "input's last dimension must be in_features=" + in, x.shape(), new int[] {out, in});
        }
        int n = x.numel() / in;
        Tensor xc = x.isContiguous() ? x : x.contiguous();
        float[] y = new float[n * out];
        w.multiply(layer, xc.data(), xc.offset(), n, y);
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        return Tensor.record("frozen_linear", Tensor.of(y, shape), g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguous();
            float[] gx = new float[n * in];
            w.multiplyGradient(layer, gc.data(), gc.offset(), n, gx);
            x.accumulateGradOwned(Tensor.of(gx, x.shape()));
        }, x);
    }

    /** The weight {@code [out, in]} as a dense tensor outside the graph (DoRA norms, merging). */
    Tensor dense(Linear layer);

    /** {@code y[n, out] = x[n, in]·Wᵀ} on raw arrays, outside the graph; y is overwritten. */
    void multiply(Linear layer, float[] x, int xOff, int n, float[] y);

    /** {@code gx[n, in] = gy[n, out]·W} on raw arrays (the input gradient); gx is overwritten. */
    void multiplyGradient(Linear layer, float[] gy, int gyOff, int n, float[] gx);

    /** The layer's own fp32 weight. */
    BaseWeight PLAIN = new BaseWeight() {
        @Override
        public Tensor matmul(Linear layer, Tensor x) {
            int[] shape = x.shape();
            shape[shape.length - 1] = layer.outFeatures();
            return x.reshape(-1, layer.inFeatures()).matmul(layer.weight().tensor().t()).reshape(shape);
        }

        @Override
        public Tensor dense(Linear layer) {
            return layer.weight().tensor().detach();
        }

        @Override
        public void multiply(Linear layer, float[] x, int xOff, int n, float[] y) {
            Tensor w = layer.weight().tensor().detach().contiguous();
            int in = layer.inFeatures(), out = layer.outFeatures();
            Gemms.get().sgemm(false, true, n, out, in, 1f, x, xOff, in, w.data(), w.offset(), in, 0f, y, 0, out);
        }

        @Override
        public void multiplyGradient(Linear layer, float[] gy, int gyOff, int n, float[] gx) {
            Tensor w = layer.weight().tensor().detach().contiguous();
            int in = layer.inFeatures(), out = layer.outFeatures();
            Gemms.get().sgemm(false, false, n, in, out, 1f, gy, gyOff, out, w.data(), w.offset(), in, 0f, gx, 0, in);
        }
    };
}
