package ai.tarka.serve.model;

import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.nn.Init;
import ai.tarka.nn.Parameter;
import java.util.SplittableRandom;

/** Test models whose weights are large enough (std 0.3, norm scales near 1) that argmax is not decided by rounding. */
public final class StrongModels {
    private StrongModels() {}

    public static CausalLm strong(ModelConfig config, long seed) {
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
