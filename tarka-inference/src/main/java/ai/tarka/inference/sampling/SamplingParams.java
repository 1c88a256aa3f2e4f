package ai.tarka.inference.sampling;

import java.util.Map;

/**
 * How the next token is chosen, with the OpenAI / vLLM parameter meanings.
 *
 * @param temperature       0 picks the most likely token (greedy); otherwise logits are divided by it
 * @param topK              keep the k most likely tokens (0: off)
 * @param topP              keep the smallest most-likely set whose probability reaches p (1: off)
 * @param minP              drop tokens less likely than minP × the top probability (0: off)
 * @param repetitionPenalty tokens already in the prompt or output: positive logits divided by it, negative ones
 *                          multiplied (1: off), as in the CTRL paper and Hugging Face
 * @param presencePenalty   subtracted once from the logit of every token already generated (0: off)
 * @param frequencyPenalty  subtracted from a generated token's logit for each time it was generated (0: off)
 * @param logitBias         added to the logits of the given token ids (before everything else)
 * @param seed              seeds the random draw: the same seed gives the same tokens
 * @param topLogprobs       how many most likely alternatives to report with each token (0: none)
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float repetitionPenalty,
                             float presencePenalty, float frequencyPenalty, Map<Integer, Float> logitBias, long seed,
                             int topLogprobs) {

    public SamplingParams {
        if (!(temperature >= 0)) throw new IllegalArgumentException("sampling: temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("sampling: top_k must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("sampling: top_p must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP <= 1)) throw new IllegalArgumentException("sampling: min_p must be in [0, 1], got " + minP);
        if (!(repetitionPenalty > 0)) throw new IllegalArgumentException("sampling: repetition_penalty must be > 0, got " + repetitionPenalty);
        if (topLogprobs < 0) throw new IllegalArgumentException("sampling: top_logprobs must be >= 0, got " + topLogprobs);
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
    }

    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0, 1, 0, 0, Map.of(), 0, 0);
    }

    public static SamplingParams temperature(float t, long seed) {
        return new SamplingParams(t, 0, 1, 0, 1, 0, 0, Map.of(), seed, 0);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, logitBias, seed, topLogprobs);
    }

    public SamplingParams withTopP(float p) {
        return new SamplingParams(temperature, topK, p, minP, repetitionPenalty, presencePenalty, frequencyPenalty, logitBias, seed, topLogprobs);
    }

    public SamplingParams withMinP(float p) {
        return new SamplingParams(temperature, topK, topP, p, repetitionPenalty, presencePenalty, frequencyPenalty, logitBias, seed, topLogprobs);
    }

    public SamplingParams withPenalties(float repetition, float presence, float frequency) {
        return new SamplingParams(temperature, topK, topP, minP, repetition, presence, frequency, logitBias, seed, topLogprobs);
    }

    public SamplingParams withLogitBias(Map<Integer, Float> bias) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, bias, seed, topLogprobs);
    }

    public SamplingParams withTopLogprobs(int n) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, logitBias, seed, n);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, logitBias, s, topLogprobs);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
