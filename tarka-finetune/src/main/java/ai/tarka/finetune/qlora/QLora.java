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

    /** The base-weight factory that quantises each layer it is given. */
    public static Function<Linear, BaseWeight> nf4() {
        return Nf4Weight::of;
    }
}
