package ai.tarka.inference.sampling;

/** A token id with its log-probability. */
public record TokenLogprob(int id, float logprob) {
}
