package ai.tarka.train.config;

import ai.tarka.engine.RopeScaling;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;

/**
 * The {@code model:} section of a training config: an architecture and its sizes, named as in Hugging Face
 * {@code config.json}. {@code vocabSize} is 0 when omitted (then it comes from the tokenizer); the other sizes have
 * defaults filled in by the reader.
 */
public record ModelSpec(ModelArchitecture architecture, int vocabSize, int hiddenSize, int numLayers, int numHeads,
                        int numKvHeads, int intermediateSize, int maxPositions, double normEps, double ropeTheta,
                        boolean tieWordEmbeddings) {

    /** The model config with {@code vocab} filled in when the spec left it out. */
    public ModelConfig toModelConfig(int vocabFromTokenizer) {
        int vocab = vocabSize > 0 ? vocabSize : vocabFromTokenizer;
        return new ModelConfig(architecture, vocab, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                maxPositions, normEps, ropeTheta, RopeScaling.none(), tieWordEmbeddings,
                architecture == ModelArchitecture.GPT2, 0, 0, -1, -1);
    }
}
