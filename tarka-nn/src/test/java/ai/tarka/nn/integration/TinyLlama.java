package ai.tarka.nn.integration;

import ai.tarka.engine.RopeTable;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.layers.Embedding;
import ai.tarka.nn.layers.Linear;
import ai.tarka.nn.layers.ModuleList;
import ai.tarka.nn.layers.RMSNorm;
import java.util.SplittableRandom;

/** Llama in miniature: token embedding (positions come from RoPE), Llama blocks, final RMSNorm, LM head. */
final class TinyLlama extends TinyLm {
    private final TinyConfig cfg;
    private final RopeTable rope;
    private final Embedding embedTokens;
    private final ModuleList<LlamaBlock> layers;
    private final RMSNorm norm;
    private final Linear lmHead;

    /** Embeddings drawn with std 0.5, large enough that every parameter gets a clearly non-zero gradient. */
    TinyLlama(TinyConfig cfg, long seed) {
        this(cfg, seed, 0.5);
    }

    TinyLlama(TinyConfig cfg, long seed, double embeddingStd) {
        this.cfg = cfg;
        SplittableRandom rng = new SplittableRandom(seed);
        rope = new RopeTable(cfg.headDim(), cfg.maxPositions(), 10_000);
        embedTokens = registerModule("embed_tokens", new Embedding(cfg.vocab(), cfg.dim(), embeddingStd, rng));
        layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < cfg.layers(); i++) layers.add(new LlamaBlock(cfg, rng));
        norm = registerModule("norm", new RMSNorm(cfg.dim(), 1e-5f));
        lmHead = cfg.tied() ? null : registerModule("lm_head", new Linear(cfg.dim(), cfg.vocab(), false, rng));
    }

    @Override
    TinyConfig config() {
        return cfg;
    }

    @Override
    Tensor logits(TokenBatch in) {
        Tensor x = embedTokens.forward(in.ids(), in.batch(), in.length());
        for (LlamaBlock block : layers) x = block.forward(x, in.mask(), in.positions(), rope);
        Tensor w = cfg.tied() ? embedTokens.weight().tensor() : lmHead.weight().tensor();
        return head(norm.forward(x), w);
    }
}
