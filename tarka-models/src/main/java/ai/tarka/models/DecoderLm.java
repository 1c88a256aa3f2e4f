package ai.tarka.models;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;

/**
 * What GPT-2 and the Llama family share around their own layers: token checks, default and packed positions, the
 * KV-cached path (no gradients, positions continuing the cache) and the gradient-checkpointing switch. A subclass
 * only writes {@link #run}: embeddings, blocks, final norm and head.
 */
abstract class DecoderLm extends Module implements CausalLm {
    protected final ModelConfig config;
    /** Whether blocks recompute their activations in backward (only on the uncached training path). */
    protected boolean checkpointing;

    DecoderLm(ModelConfig config) {
        this.config = config;
    }

    /**
     * Logits {@code [B, T, V]}.
     *
     * @param pos      position ids, {@code T} (shared by every row) or {@code B·T}
     * @param segments per-row sample boundaries of packed rows, or {@code null} for plain causal attention
     * @param cache    the KV cache to read and append to, or {@code null}
     */
    protected abstract Tensor run(int[] tokens, int[] pos, int[] segments, int b, int t, KvCache cache);

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
}
