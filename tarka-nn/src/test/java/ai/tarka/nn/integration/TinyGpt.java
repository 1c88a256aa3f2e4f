package ai.tarka.nn.integration;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.layers.Embedding;
import ai.tarka.nn.layers.LayerNorm;
import ai.tarka.nn.layers.Linear;
import ai.tarka.nn.layers.ModuleList;
import java.util.SplittableRandom;

/** GPT-2 in miniature: token and learned position embeddings, pre-norm blocks, final LayerNorm, LM head. */
final class TinyGpt extends TinyLm {
    private final TinyConfig cfg;
    private final Embedding wte;
    private final Embedding wpe;
    private final ModuleList<GptBlock> blocks;
    private final LayerNorm lnF;
    private final Linear lmHead;

    /** Embeddings drawn with std 0.5, large enough that every parameter gets a clearly non-zero gradient. */
    TinyGpt(TinyConfig cfg, long seed) {
        this(cfg, seed, 0.5);
    }

    TinyGpt(TinyConfig cfg, long seed, double embeddingStd) {
        this.cfg = cfg;
        SplittableRandom rng = new SplittableRandom(seed);
        wte = registerModule("wte", new Embedding(cfg.vocab(), cfg.dim(), embeddingStd, rng));
        wpe = registerModule("wpe", new Embedding(cfg.maxPositions(), cfg.dim(), embeddingStd, rng));
        blocks = registerModule("h", new ModuleList<>());
        for (int i = 0; i < cfg.layers(); i++) blocks.add(new GptBlock(cfg, rng));
        lnF = registerModule("ln_f", new LayerNorm(cfg.dim(), 1e-5f));
        lmHead = cfg.tied() ? null : registerModule("lm_head", new Linear(cfg.dim(), cfg.vocab(), false, rng));
    }

    @Override
    TinyConfig config() {
        return cfg;
    }

    @Override
    Tensor logits(TokenBatch in) {
        int b = in.batch(), t = in.length();
        Tensor pos = in.positions().length == t ? wpe.forward(in.positions(), t) : wpe.forward(in.positions(), b, t);
        Tensor x = wte.forward(in.ids(), b, t).add(pos);
        for (GptBlock block : blocks) x = block.forward(x, in.mask());
        Tensor w = cfg.tied() ? wte.weight().tensor() : lmHead.weight().tensor();
        return head(lnF.forward(x), w);
    }
}
