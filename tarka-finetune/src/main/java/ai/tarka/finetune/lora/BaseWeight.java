package ai.tarka.finetune.lora;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.layers.Linear;

/** The frozen base of an adapted linear layer: its product with the input and its dense weight. */
public interface BaseWeight {

    /** {@code x · Wᵀ} without the bias; x has any leading dimensions. */
    Tensor matmul(Linear layer, Tensor x);

    /** The weight {@code [out, in]} as a dense tensor outside the graph (DoRA norms, merging). */
    Tensor dense(Linear layer);

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
    };
}
