package ai.tarka.eval.lm;

import java.util.List;

/**
 * What evaluation needs from a language model: its tokenizer and the log-probability of each token of a sequence
 * given the tokens before it. Implementations: {@link CausalLmScorer} over tarka-models' {@code CausalLm}.
 */
public interface LogLikelihoodModel {

    /** A short name for tables and reports. */
    String name();

    /** Token ids of {@code text}, without BOS. */
    int[] encode(String text);

    /** The text of token ids (for byte counts of a token prefix). */
    String decode(int[] ids);

    /** The beginning-of-sequence id to start a sequence with, or -1 when the model has none. */
    int bos();

    /** The most tokens one forward pass can take. */
    int maxLength();

    /**
     * Natural-log probabilities of tokens {@code from[i] .. seq.length-1} of each sequence given the tokens before
     * them ({@code from[i] >= 1}). The result for one sequence must not depend on the other sequences in the call
     * (so results do not depend on batch size).
     */
    double[][] tokenLogProbs(List<int[]> sequences, int[] from);

    /** Whether each of those tokens is the model's top choice, in the same layout (for lm-eval's {@code is_greedy}). */
    default boolean[][] greedyFlags(List<int[]> sequences, int[] from) {
        throw new UnsupportedOperationException(name() + ": greedy flags not available");
    }
}
