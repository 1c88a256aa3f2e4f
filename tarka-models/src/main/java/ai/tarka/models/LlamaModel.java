package ai.tarka.models;

import ai.tarka.engine.RopeTable;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Checkpoint;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.Embedding;
import ai.tarka.nn.layers.Linear;
import ai.tarka.nn.layers.ModuleList;
import ai.tarka.nn.layers.RMSNorm;

/**
 * The Llama family (Llama 2/3, Mistral, Qwen2, TinyLlama, llama2.c): token embedding, {@link LlamaBlock}s with
 * RoPE (base and scaling from the config), a final RMSNorm and the output head, tied to the embedding when the
 * config says so. Parameters are named as in Hugging Face's {@code LlamaForCausalLM}:
 * {@code model.embed_tokens.weight}, {@code model.layers.0.self_attn.q_proj.weight}, {@code model.norm.weight},
 * {@code lm_head.weight}. Built zero-initialised; {@link Models#create} initialises.
 */
public final class LlamaModel extends DecoderLm {
    private final RopeTable rope;
    private final Inner model;
    private final Linear lmHead;

    public LlamaModel(ModelConfig config) {
        super(config);
        if (config.architecture() != ModelArchitecture.LLAMA) {
            throw new IllegalArgumentException("LlamaModel: config is for " + config.architecture());
        }
        rope = new RopeTable(config.headDim(), config.maxPositions(), config.ropeTheta(), config.ropeScaling());
        model = registerModule("model", new Inner(config));
        lmHead = config.tieWordEmbeddings() ? null
                : registerModule("lm_head", new Linear(config.hiddenSize(), config.vocabSize(), false));
    }

    /** The {@code model.*} subtree. */
    private static final class Inner extends Module {
        final Embedding embedTokens;
        final ModuleList<LlamaBlock> layers;
        final RMSNorm norm;

        Inner(ModelConfig cfg) {
            embedTokens = registerModule("embed_tokens", new Embedding(cfg.vocabSize(), cfg.hiddenSize()));
            layers = registerModule("layers", new ModuleList<>());
            for (int i = 0; i < cfg.numLayers(); i++) layers.add(new LlamaBlock(cfg));
            norm = registerModule("norm", new RMSNorm(cfg.hiddenSize(), (float) cfg.normEps()));
        }
    }

    @Override
    protected Tensor run(int[] tokens, int[] pos, int[] segments, int b, int t, KvCache cache) {
        Tensor x = model.embedTokens.forward(tokens, b, t);                     // [B, T, C]
        int layer = 0;
        for (LlamaBlock block : model.layers) {
            int l = layer++;
            x = checkpointing && cache == null ? Checkpoint.apply("checkpoint_block", in -> block.forward(in, pos, segments, rope, null, l), x)
                    : block.forward(x, pos, segments, rope, cache, l);
        }
        Tensor h = model.norm.forward(x);
        // An untied head runs as its Linear, so an installed replacement (a frozen head under LoRA) takes effect.
        return lmHead == null ? LmHead.logits(h, model.embedTokens.weight().tensor()) : lmHead.forward(h); // [B, T, V]
    }
}
