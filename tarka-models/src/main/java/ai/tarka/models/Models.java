package ai.tarka.models;

import ai.tarka.nn.Init;
import ai.tarka.nn.Parameter;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds decoders from a config, initialised as GPT-2 / nanoGPT do. */
public final class Models {
    private Models() {}

    /** Standard deviation of every matrix and embedding at initialisation. */
    public static final double INIT_STD = 0.02;

    /**
     * A freshly initialised model: matrices and embeddings normal(0, 0.02), the projections that write into the
     * residual stream ({@code c_proj}, {@code o_proj}, {@code down_proj}) normal(0, 0.02/√(2·layers)) so the
     * residual's variance does not grow with depth, biases zero, norm scales one. Same seed, same weights.
     */
    public static CausalLm create(ModelConfig config, long seed) {
        CausalLm model = empty(config);
        initialise(model.module().namedParameters(), config.numLayers(), seed);
        return model;
    }

    /** A zero-initialised model of {@code config}'s family, to load weights into. */
    public static CausalLm empty(ModelConfig config) {
        return switch (config.architecture()) {
            case GPT2 -> new Gpt2Model(config);
            case LLAMA -> new LlamaModel(config);
            case ENCODER -> throw new IllegalArgumentException("Models: an encoder is not a causal LM; use EncoderClassifier");
        };
    }

    /** Initialises {@code parameters} in their order from one generator (see {@link #create}). */
    static void initialise(Map<String, Parameter> parameters, int layers, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double residualStd = INIT_STD / Math.sqrt(2.0 * layers);
        for (var e : parameters.entrySet()) {
            String name = e.getKey();
            Parameter p = e.getValue();
            if (isNormScale(name)) {
                Init.ones(p);
            } else if (name.endsWith(".bias")) {
                Init.zeros(p);
            } else if (isResidualProjection(name)) {
                Init.normal(p, 0, residualStd, rng);
            } else {
                Init.normal(p, 0, INIT_STD, rng);
            }
        }
    }

    private static boolean isResidualProjection(String name) {
        return name.endsWith("c_proj.weight") || name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")
                || name.endsWith("out_proj.weight") || name.endsWith("fc2.weight");
    }

    private static boolean isNormScale(String name) {
        return name.endsWith(".weight") && (name.contains("ln_") || name.contains("layernorm") || name.contains("norm."));
    }
}
