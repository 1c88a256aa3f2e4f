package ai.tarka.finetune;

import ai.tarka.engine.Tensor;
import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.models.CausalLm;
import ai.tarka.models.KvCache;
import ai.tarka.models.ModelConfig;
import ai.tarka.nn.Module;

/**
 * An adapted model as the trainer sees it: it computes with the whole model, but its {@link #module()} is the
 * {@linkplain LoraModel#trainableView() trainable part only}, so the trainer's flat parameter buffer, gradients and
 * AdamW moments cover the adapters and nothing of the frozen base.
 */
record TrainedPart(LoraModel lora, Module module) implements CausalLm {

    static TrainedPart of(LoraModel lora) {
        return new TrainedPart(lora, lora.trainableView());
    }

    @Override
    public ModelConfig config() {
        return lora.config();
    }

    @Override
    public Tensor forward(int[] tokens, int[] positions, int batch, int seqLen) {
        return lora.forward(tokens, positions, batch, seqLen);
    }

    @Override
    public Tensor forwardCached(int[] tokens, int batch, int seqLen, KvCache cache) {
        return lora.forwardCached(tokens, batch, seqLen, cache);
    }

    @Override
    public void gradientCheckpointing(boolean on) {
        lora.gradientCheckpointing(on);
    }
}
