package ai.tarka.inference.sampling;

import java.util.List;

/**
 * The chosen token, its log-probability and the most likely alternatives (most likely first). Log-probabilities are
 * those of the model's distribution after logit bias and penalties, at temperature 1 and before truncation (top-k,
 * top-p, min-p), as OpenAI's API reports them.
 */
public record SampledToken(int id, float logprob, List<TokenLogprob> top) {
}
