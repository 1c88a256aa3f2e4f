package ai.tarka.models;

import ai.tarka.engine.AttentionMask;
import ai.tarka.engine.Losses;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.Embedding;
import ai.tarka.nn.layers.LayerNorm;
import ai.tarka.nn.layers.Linear;
import ai.tarka.nn.layers.ModuleList;
import java.util.LinkedHashMap;

/**
 * A transformer encoder with a classification head, for "a transformer from scratch for text classification": token
 * and learned position embeddings, {@link EncoderBlock}s with bidirectional attention, a final LayerNorm, then
 * <b>mean pooling</b> over each row's real tokens (padding excluded) and a linear layer to {@code numLabels} logits.
 * Mean pooling rather than a CLS token, so that the sequences need no special first token and every position
 * contributes a gradient from the first step. Rows are right-padded; {@code lengths} says how many tokens are real.
 */
public final class EncoderClassifier extends Module {
    private final ModelConfig config;
    private final Embedding embedTokens;
    private final Embedding embedPositions;
    private final ModuleList<EncoderBlock> layers;
    private final LayerNorm layerNorm;
    private final Linear classifier;

    public EncoderClassifier(ModelConfig config) {
        if (config.architecture() != ModelArchitecture.ENCODER) {
            throw new IllegalArgumentException("EncoderClassifier: config is for " + config.architecture());
        }
        if (config.numLabels() < 2) throw new IllegalArgumentException("EncoderClassifier: num_labels must be >= 2, got " + config.numLabels());
        this.config = config;
        int c = config.hiddenSize();
        embedTokens = registerModule("embed_tokens", new Embedding(config.vocabSize(), c));
        embedPositions = registerModule("embed_positions", new Embedding(config.maxPositions(), c));
        layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < config.numLayers(); i++) layers.add(new EncoderBlock(config));
        layerNorm = registerModule("layer_norm", new LayerNorm(c, (float) config.normEps()));
        classifier = registerModule("classifier", new Linear(c, config.numLabels(), true));
    }

    /** Initialised as {@link Models#create} initialises decoders (normal 0.02, residual projections scaled). */
    public static EncoderClassifier create(ModelConfig config, long seed) {
        EncoderClassifier m = new EncoderClassifier(config);
        Models.initialise(m.namedParameters(), config.numLayers(), seed);
        return m;
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Class logits {@code [B, numLabels]}.
     *
     * @param tokens  {@code batch × seqLen} ids, row-major, right-padded (padding ids are any valid id)
     * @param lengths real tokens per row (1..seqLen), or null when every row is full
     */
    public Tensor forward(int[] tokens, int[] lengths, int batch, int seqLen) {
        LmHead.checkTokens(tokens, batch, seqLen, config.vocabSize());
        int[] len = lengths == null ? full(batch, seqLen) : lengths;
        if (len.length != batch) throw new IllegalArgumentException("EncoderClassifier: " + len.length + " lengths for batch " + batch);
        for (int b = 0; b < batch; b++) {
            if (len[b] < 1 || len[b] > seqLen) {
                throw new IllegalArgumentException("EncoderClassifier: length " + len[b] + " of row " + b + " outside [1, " + seqLen + "]");
            }
        }
        int[] positions = new int[seqLen];
        for (int i = 0; i < seqLen; i++) positions[i] = i;
        Tensor x = embedTokens.forward(tokens, batch, seqLen).add(embedPositions.forward(positions, seqLen));   // [B, T, C]
        AttentionMask mask = lengths == null ? AttentionMask.none() : AttentionMask.padding(len);
        for (EncoderBlock block : layers) x = block.forward(x, mask);
        Tensor h = layerNorm.forward(x);                                                                         // [B, T, C]
        Tensor pooled = h.mul(poolingWeights(len, batch, seqLen)).sum(1, false);                                 // [B, C]
        return classifier.forward(pooled);                                                                       // [B, L]
    }

    /** Mean cross-entropy of the class logits against {@code labels} (one per row). */
    public Tensor loss(int[] tokens, int[] lengths, int batch, int seqLen, int[] labels) {
        return Losses.crossEntropy(forward(tokens, lengths, batch, seqLen), labels, -100);
    }

    /** The weights by name (these names are Tarka's own: there is no one HF layout for this model). */
    public LinkedHashMap<String, Tensor> export() {
        return ModelWeights.export(this, config);
    }

    /** {@code [B, T, 1]}: 1/length on each row's real tokens, 0 on padding. */
    private static Tensor poolingWeights(int[] len, int batch, int seqLen) {
        float[] w = new float[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len[b]; t++) w[b * seqLen + t] = 1f / len[b];
        }
        return Tensor.of(w, batch, seqLen, 1);
    }

    private static int[] full(int batch, int seqLen) {
        int[] l = new int[batch];
        java.util.Arrays.fill(l, seqLen);
        return l;
    }
}
