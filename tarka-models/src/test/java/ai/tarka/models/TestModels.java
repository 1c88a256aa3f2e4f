package ai.tarka.models;

import ai.tarka.engine.RopeScaling;
import ai.tarka.nn.Init;
import ai.tarka.nn.Parameter;
import java.util.SplittableRandom;

/** Small configs and strongly initialised models for the tests (sizes off the vector width on purpose). */
final class TestModels {
    private TestModels() {}

    static ModelConfig gpt2() {
        return ModelConfig.gpt2(37, 40, 2, 3, 18);
    }

    static ModelConfig llama() {
        return ModelConfig.llama(37, 40, 2, 4, 2, 24, 30);
    }

    /** Mistral style: sliding window 5, tied head, linear RoPE scaling. */
    static ModelConfig mistral() {
        return new ModelConfig(ModelArchitecture.LLAMA, 37, 24, 2, 4, 2, 30, 40, 1e-5, 10000, RopeScaling.linear(2), true,
                false, 5, 0, 1, 2);
    }

    /** Qwen2 style: q/k/v biases, llama3 RoPE scaling. */
    static ModelConfig qwen2() {
        return new ModelConfig(ModelArchitecture.LLAMA, 37, 24, 2, 4, 1, 30, 40, 1e-6, 1e6, RopeScaling.llama3(8, 1, 4, 16),
                false, true, 0, 0, 1, 2);
    }

    /**
     * A model whose weights are large enough (std 0.3, norm scales near 1) that its logits are far from uniform, so
     * that argmax decisions are not decided by rounding.
     */
    static CausalLm strong(ModelConfig config, long seed) {
        CausalLm model = Models.empty(config);
        SplittableRandom rng = new SplittableRandom(seed);
        for (var e : model.module().namedParameters().entrySet()) {
            Parameter p = e.getValue();
            boolean norm = p.shape().length == 1 && !e.getKey().endsWith(".bias");
            Init.normal(p, norm ? 1 : 0, norm ? 0.1 : 0.3, rng);
        }
        return model;
    }
}
