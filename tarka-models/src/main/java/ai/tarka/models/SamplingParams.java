package ai.tarka.models;

/**
 * How {@link Sampler} picks the next token.
 *
 * @param temperature 0 for greedy (argmax); otherwise logits are divided by it before the softmax
 * @param topK        keep only the k most likely tokens; 0 for no limit
 * @param topP        keep the smallest set of most likely tokens whose probability reaches p (nucleus); 1 for no limit
 * @param seed        seed of the sampler's generator: the same seed gives the same tokens
 */
public record SamplingParams(double temperature, int topK, double topP, long seed) {
    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("sampling: temperature must be >= 0 and finite, got " + temperature);
        }
        if (topK < 0) throw new IllegalArgumentException("sampling: top-k must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("sampling: top-p must be in (0, 1], got " + topP);
    }

    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
