package ai.tarka.models;

import ai.tarka.engine.GradMode;
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
public final class LlamaModel extends Module implements CausalLm {
    private final ModelConfig config;
    private final RopeTable rope;
    private final Inner model;
    private final Linear lmHead;

    public LlamaModel(ModelConfig config) {
        if (config.architecture() != ModelArchitecture.LLAMA) {
            throw new IllegalArgumentException("LlamaModel: config is for " + config.architecture());
        }
        this.config = config;
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

    private boolean checkpointing;

    @Override
    public void gradientCheckpointing(boolean on) {
        checkpointing = on;
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
        LmHead.checkTokens(tokens, batch, seqLen, config.vocabSize());
        int[] pos = Positions.orDefault(positions, batch, seqLen);
        return run(tokens, pos, Positions.segments(pos, batch, seqLen), batch, seqLen, null);
    }

    @Override
    public Tensor forwardCached(int[] tokens, int batch, int seqLen, KvCache cache) {
        LmHead.checkTokens(tokens, batch, seqLen, config.vocabSize());
        cache.checkRoom(batch, seqLen);
        try (var noGrad = GradMode.disable()) {
            int[] pos = new int[seqLen];
            for (int i = 0; i < seqLen; i++) pos[i] = cache.length() + i;
            Tensor logits = run(tokens, pos, null, batch, seqLen, cache);
            cache.advance(seqLen);
            return logits;
        }
    }

    private Tensor run(int[] tokens, int[] pos, int[] segments, int b, int t, KvCache cache) {
        Tensor x = model.embedTokens.forward(tokens, b, t);                     // [B, T, C]
        int layer = 0;
        for (LlamaBlock block : model.layers) {
            int l = layer++;
            x = checkpointing && cache == null ? Checkpoint.apply("checkpoint_block", in -> block.forward(in, pos, segments, rope, null, l), x)
                    : block.forward(x, pos, segments, rope, cache, l);
        }
        Tensor head = lmHead == null ? model.embedTokens.weight().tensor() : lmHead.weight().tensor();
        return LmHead.logits(model.norm.forward(x), head);                       // [B, T, V]
    }
}
