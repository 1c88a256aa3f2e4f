package ai.tarka.finetune.lora;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.layers.Linear;

/**
 * The forward of a linear layer that LoRA leaves frozen and does not adapt (the output head {@code lm_head}, which
 * {@code all-linear} excludes): {@code y = x·Wᵀ + b} on its pre-packed {@link PackedBaseWeight}, whose backward
 * computes only the input's gradient {@code ∂y·W}.
 */
final class FrozenLinear implements Linear.Replacement {
    private final BaseWeight base;

    FrozenLinear(BaseWeight base) {
        this.base = base;
    }

    @Override
    public Tensor forward(Linear layer, Tensor x) {
        Tensor y = base.matmul(layer, x);
        return layer.bias() == null ? y : y.add(layer.bias().tensor());
    }

    BaseWeight base() {
        return base;
    }
}
