package ai.tarka.models;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;

/**
 * A decoder-only language model that training, evaluation and generation drive. Implementations are {@link Module}s
 * whose parameters carry Hugging Face names.
 */
public interface CausalLm {

    /** The configuration the model was built from. */
    ModelConfig config();

    /** The module tree holding the parameters (the model itself). */
    Module module();

    /**
     * Logits for a batch of token rows.
     *
     * @param tokens    {@code batch × seqLen} token ids, row-major
     * @param positions position ids of the same layout, or {@code null} for {@code 0..seqLen-1} in every row
     *                  (packed rows pass each sample's own positions; attention then stays inside each sample)
     * @return logits {@code [batch, seqLen, vocab]}
     */
    Tensor forward(int[] tokens, int[] positions, int batch, int seqLen);

    /**
     * Logits of {@code seqLen} new tokens per row that follow the tokens already in {@code cache} (positions
     * {@code cache.length() ..}), appending their keys and values to it. Runs without recording gradients.
     *
     * @return logits {@code [batch, seqLen, vocab]}
     */
    Tensor forwardCached(int[] tokens, int batch, int seqLen, KvCache cache);

    /**
     * Turns gradient checkpointing on or off: each block's activations are recomputed in backward instead of kept
     * (see {@code ai.tarka.nn.Checkpoint}). Off by default.
     */
    default void gradientCheckpointing(boolean on) {
        if (on) throw new UnsupportedOperationException(getClass().getSimpleName() + " has no gradient checkpointing");
    }

    /** An empty cache for {@code batch} rows of up to {@code capacity} tokens. */
    default KvCache newCache(int batch, int capacity) {
        return KvCache.create(config(), batch, capacity);
    }
}
