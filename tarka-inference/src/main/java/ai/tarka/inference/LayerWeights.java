package ai.tarka.inference;

/** One decoder block's weights; biases are null when the architecture has none. */
public record LayerWeights(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                           float[] qBias, float[] kBias, float[] vBias,
                           float[] ffnNorm, WeightMatrix gate, WeightMatrix up, WeightMatrix down) {

    /** The layer's matrices, in forward order. */
    public WeightMatrix[] matrices() {
        return new WeightMatrix[] {wq, wk, wv, wo, gate, up, down};
    }
}
