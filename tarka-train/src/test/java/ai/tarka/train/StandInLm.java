package ai.tarka.train;

import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.Embedding;
import ai.tarka.nn.layers.LayerNorm;
import ai.tarka.nn.layers.Linear;
import java.util.SplittableRandom;

/**
 * A test-only causal LM until tarka-models lands: token + position embeddings, a LayerNorm and a linear head
 * (every token predicts the next from itself and its position). Small, but it has rank-2 weights, biases and norm
 * scales, so weight-decay groups, clipping and the AdamW state are all exercised.
 */
final class StandInLm extends Module implements CausalLm {
    private final ModelConfig config;
    private final Embedding wte;
    private final Embedding wpe;
    private final LayerNorm ln;
    private final Linear head;

    StandInLm(ModelConfig config, long seed) {
        this.config = config;
        SplittableRandom rng = new SplittableRandom(seed);
        wte = registerModule("wte", new Embedding(config.vocabSize(), config.hiddenSize(), 0.2, rng));
        wpe = registerModule("wpe", new Embedding(config.maxPositions(), config.hiddenSize(), 0.2, rng));
        ln = registerModule("ln_f", new LayerNorm(config.hiddenSize(), 1e-5f));
        head = registerModule("lm_head", new Linear(config.hiddenSize(), config.vocabSize(), true, rng));
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Module module() {
        return this;
    }

    @Override
    public Tensor forward(int[] tokens, int[] positions, int batch, int seqLen) {
        int[] pos = new int[seqLen];
        for (int i = 0; i < seqLen; i++) pos[i] = i;
        Tensor x = wte.forward(tokens, batch, seqLen).add(wpe.forward(pos, seqLen));
        return head.forward(ln.forward(x));
    }
}
