package ai.tarka.inference;

import ai.tarka.inference.sampling.SampledToken;
import java.util.List;

/**
 * What one generation produced: the new tokens (a stop token not included), the text, each choice with its
 * log-probabilities, why it ended, and the time spent on the prompt and on decoding.
 */
public record GenerationResult(int promptTokens, int[] tokens, String text, List<SampledToken> sampled,
                               FinishReason finishReason, long prefillNanos, long decodeNanos) {

    public double promptTokensPerSecond() {
        return prefillNanos == 0 ? 0 : promptTokens * 1e9 / prefillNanos;
    }

    /** Decode speed: tokens after the first (which comes from the prompt's logits) per second of decode steps. */
    public double decodeTokensPerSecond() {
        return decodeNanos == 0 ? 0 : Math.max(0, sampled.size() - 1) * 1e9 / decodeNanos;
    }
}
