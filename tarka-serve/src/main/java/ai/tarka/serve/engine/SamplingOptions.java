package ai.tarka.serve.engine;

import java.util.List;
import java.util.Map;

/**
 * Every sampling and stopping parameter of a request (OpenAI's plus vLLM's extensions), validated by the API layer.
 *
 * @param temperature       0 means greedy
 * @param topP              nucleus mass in (0, 1]
 * @param topK              keep the k most likely tokens; 0 or -1 for all
 * @param minP              drop tokens below minP × the top probability; 0 for off
 * @param presencePenalty   subtracted once from the logit of every token already generated
 * @param frequencyPenalty  subtracted per occurrence in the output
 * @param repetitionPenalty divides positive / multiplies negative logits of tokens seen in prompt or output; 1 for off
 * @param seed              per-request seed, or null for a random one
 * @param maxTokens         most tokens to generate
 * @param minTokens         EOS and stop tokens are masked until this many tokens exist
 * @param stop              stop strings (not included in the output)
 * @param stopTokenIds      extra token ids that end the sequence
 * @param ignoreEos         keep generating past EOS
 * @param logitBias         added to the logits of the given token ids
 * @param logprobs          report the sampled token's log-probability
 * @param topLogprobs       also report this many most likely alternatives
 * @param promptLogprobs    report the log-probabilities of the prompt tokens (completions {@code echo})
 */
public record SamplingOptions(double temperature, double topP, int topK, double minP, double presencePenalty,
                              double frequencyPenalty, double repetitionPenalty, Long seed, int maxTokens, int minTokens,
                              List<String> stop, int[] stopTokenIds, boolean ignoreEos, Map<Integer, Float> logitBias,
                              boolean logprobs, int topLogprobs, boolean promptLogprobs) {

    /** Greedy decoding of up to {@code maxTokens} tokens, nothing else. */
    public static SamplingOptions greedy(int maxTokens) {
        return new SamplingOptions(0, 1, 0, 0, 0, 0, 1, null, maxTokens, 0, List.of(), new int[0], false, Map.of(),
                false, 0, false);
    }

    public SamplingOptions withSeed(Long newSeed) {
        return new SamplingOptions(temperature, topP, topK, minP, presencePenalty, frequencyPenalty, repetitionPenalty,
                newSeed, maxTokens, minTokens, stop, stopTokenIds, ignoreEos, logitBias, logprobs, topLogprobs, promptLogprobs);
    }
}
