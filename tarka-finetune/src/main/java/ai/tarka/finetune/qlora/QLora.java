package ai.tarka.finetune.qlora;

import ai.tarka.finetune.lora.BaseWeight;
import ai.tarka.finetune.lora.LoraConfig;
import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.models.CausalLm;
import ai.tarka.nn.layers.Linear;
import java.util.function.Consumer;
import java.util.function.Function;

/** QLoRA: LoRA whose targeted base weights are stored NF4 and dequantised inside the products. */
public final class QLora {
    private QLora() {}

    /** Quantises each targeted layer's weight to NF4 and adds fp32 adapters. */
    public static LoraModel wrap(CausalLm base, LoraConfig config, Consumer<String> warnings) {
        return LoraModel.wrap(base, config, nf4(), warnings);
    }

    /**
     * The base-weight factory that quantises each layer it is given and then drops the layer's fp32 weight (the
     * parameter becomes a zero-stride view holding no storage; {@link LoraModel#merge} writes real values back).
     */
    public static Function<Linear, BaseWeight> nf4() {
        return layer -> {
            Nf4Weight w = Nf4Weight.of(layer);
            layer.weight().requiresGrad(false);
            int[] shape = layer.weight().shape();
            layer.weight().replaceValue(new ai.tarka.engine.Tensor(new float[1], 0, shape, new int[shape.length]));
            return w;
        };
    }
}
