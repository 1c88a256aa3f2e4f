package ai.tarka.eval.lm;

import java.util.List;

/** Greedy text generation with stop sequences, as {@code generate_until} tasks need it. */
public interface TextGenerator {

    /**
     * The greedy continuation of {@code prompt}: at most {@code maxNewTokens} tokens, cut before the first
     * occurrence of any string in {@code until} (and at the end-of-sequence token).
     */
    String generate(String prompt, List<String> until, int maxNewTokens);
}
