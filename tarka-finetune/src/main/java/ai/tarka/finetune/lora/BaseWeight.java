package ai.tarka.finetune.lora;

import ai.tarka.engine.Tensor;
import ai.tarka.kernels.gemm.Gemms;
import ai.tarka.nn.layers.Linear;

/** The frozen base of an adapted linear layer: its product with the input and its dense weight. */
public interface BaseWeight {

    /** {@code x · Wᵀ} without the bias; x has any leading dimensions. */
    Tensor matmul(Linear layer, Tensor x);

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
