package ai.tarka.models;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.Checkpoint;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.Embedding;
import ai.tarka.nn.layers.LayerNorm;
import ai.tarka.nn.layers.Linear;
import ai.tarka.nn.layers.ModuleList;

/**
 * GPT-2: token and learned position embeddings, pre-norm blocks with GELU (tanh) MLPs, a final LayerNorm and the
 * output head (tied to {@code transformer.wte} unless the config unties it). Parameters are named as in Hugging
 * Face's {@code GPT2LMHeadModel}: {@code transformer.wte.weight}, {@code transformer.h.0.attn.c_attn.weight}, ...
 * Built zero-initialised; {@link Models#create} initialises.
 */
public final class Gpt2Model extends DecoderLm {
    private final Transformer transformer;
    private final Linear lmHead;

    public Gpt2Model(ModelConfig config) {
        super(config);
        if (config.architecture() != ModelArchitecture.GPT2) {
            throw new IllegalArgumentException("Gpt2Model: config is for " + config.architecture());
        }
        if (config.numKvHeads() != config.numHeads()) {
            throw new IllegalArgumentException("Gpt2Model: GPT-2 has no grouped-query attention (heads " + config.numHeads()
                    + ", kv heads " + config.numKvHeads() + ")");
        }
        transformer = registerModule("transformer", new Transformer(config));
        lmHead = config.tieWordEmbeddings() ? null
                : registerModule("lm_head", new Linear(config.hiddenSize(), config.vocabSize(), false));
    }

    /** The {@code transformer.*} subtree. */
    private static final class Transformer extends Module {
        final Embedding wte, wpe;
        final ModuleList<Gpt2Block> h;
        final LayerNorm lnF;

        Transformer(ModelConfig cfg) {
            wte = registerModule("wte", new Embedding(cfg.vocabSize(), cfg.hiddenSize()));
            wpe = registerModule("wpe", new Embedding(cfg.maxPositions(), cfg.hiddenSize()));
            h = registerModule("h", new ModuleList<>());
            for (int i = 0; i < cfg.numLayers(); i++) h.add(new Gpt2Block(cfg));
            lnF = registerModule("ln_f", new LayerNorm(cfg.hiddenSize(), (float) cfg.normEps()));
        }
    }

    @Override
    protected Tensor run(int[] tokens, int[] pos, int[] segments, int b, int t, KvCache cache) {
        Tensor positional = pos.length == t ? transformer.wpe.forward(pos, t)   // [T, C], broadcast over rows
                : transformer.wpe.forward(pos, b, t);                            // [B, T, C]
        Tensor x = transformer.wte.forward(tokens, b, t).add(positional);      // [B, T, C]
        int layer = 0;
        for (Gpt2Block block : transformer.h) {
            int l = layer++;
            x = checkpointing && cache == null ? Checkpoint.apply("checkpoint_block", in -> block.forward(in, segments, null, l), x)
                    : block.forward(x, segments, cache, l);
        }
        Tensor h = transformer.lnF.forward(x);
        // An untied head runs as its Linear, so an installed replacement (a frozen head under LoRA) takes effect.
        return lmHead == null ? LmHead.logits(h, transformer.wte.weight().tensor()) : lmHead.forward(h); // [B, T, V]
    }
}
