package ai.tarka.serve.engine;

import java.util.List;

/**
 * What one engine step produced for one sequence: new output text (already cut at a stop string, and held back while
 * it may still become one), the tokens sampled with their log-probabilities, and the finish reason on the last event.
 *
 * @param index        the choice index within its request
 * @param text         text to append to the output
 * @param tokens       the tokens sampled in this step (their text may lag behind because of held-back bytes)
 * @param finish       null while the sequence runs
 * @param promptTokens prompt length (for usage)
 * @param outputTokens tokens generated so far (for usage)
 * @param promptLogprobs only on the first event of a request with {@code echo} and logprobs: one entry per prompt
 *                     token (the first is null)
 * @param error        set when the engine failed this sequence
 */
public record SeqEvent(int index, String text, List<TokenSampler.Draw> tokens, FinishReason finish, int promptTokens,
                       int outputTokens, List<TokenSampler.Draw> promptLogprobs, String error) {}
