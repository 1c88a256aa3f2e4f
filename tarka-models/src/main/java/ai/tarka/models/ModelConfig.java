package ai.tarka.models;

import ai.tarka.engine.RopeScaling;

/**
 * Everything needed to build a model, named as in Hugging Face {@code config.json} where the same thing exists there.
 *
 * @param architecture       family
 * @param vocabSize          token vocabulary size (rows of the embedding)
 * @param hiddenSize         model width C
 * @param numLayers          number of blocks
 * @param numHeads           query heads
 * @param numKvHeads         key/value heads (grouped-query attention when fewer than {@code numHeads})
 * @param intermediateSize   MLP hidden width
 * @param maxPositions       longest sequence (learned positions for GPT-2; RoPE tables for Llama)
 * @param normEps            LayerNorm / RMSNorm epsilon
 * @param ropeTheta          RoPE base (Llama family)
 * @param ropeScaling        RoPE frequency scaling (Llama family)
 * @param tieWordEmbeddings  output head shares the token embedding
 * @param attentionBias      biases on q/k/v projections (GPT-2 always; Qwen2 true; Llama false)
 * @param slidingWindow      attention window in tokens, 0 for full causal attention (Mistral)
 * @param numLabels          classification labels (encoder only; 0 otherwise)
 * @param bosTokenId         beginning-of-sequence id, -1 if none
 * @param eosTokenId         end-of-sequence id, -1 if none
 */
public record ModelConfig(
        ModelArchitecture architecture,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int intermediateSize,
        int maxPositions,
        double normEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        int slidingWindow,
        int numLabels,
        int bosTokenId,
        int eosTokenId) {

    public ModelConfig {
        if (architecture == null) throw new IllegalArgumentException("model config: architecture is required");
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositions);
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("model config: hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numHeads);
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("model config: num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (!(normEps > 0)) throw new IllegalArgumentException("model config: norm epsilon must be positive, got " + normEps);
        if (slidingWindow < 0) throw new IllegalArgumentException("model config: sliding_window must be >= 0, got " + slidingWindow);
        if (ropeScaling == null) ropeScaling = RopeScaling.none();
    }

    private static void positive(String key, int v) {
        if (v <= 0) throw new IllegalArgumentException("model config: " + key + " must be positive, got " + v);
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** A GPT-2 style config (MLP 4C, LayerNorm eps 1e-5, tied head, biases). */
    public static ModelConfig gpt2(int vocabSize, int maxPositions, int layers, int heads, int width) {
        return new ModelConfig(ModelArchitecture.GPT2, vocabSize, width, layers, heads, heads, 4 * width, maxPositions,
                1e-5, 0, RopeScaling.none(), true, true, 0, 0, -1, -1);
    }

    /** A Llama style config (RMSNorm eps 1e-5, RoPE base 10000, untied head, no biases). */
    public static ModelConfig llama(int vocabSize, int maxPositions, int layers, int heads, int kvHeads, int width,
                                    int intermediate) {
        return new ModelConfig(ModelArchitecture.LLAMA, vocabSize, width, layers, heads, kvHeads, intermediate,
                maxPositions, 1e-5, 10000, RopeScaling.none(), false, false, 0, 0, -1, -1);
    }
}
