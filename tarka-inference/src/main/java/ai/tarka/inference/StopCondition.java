package ai.tarka.inference;

import java.util.List;

/**
 * When generation ends: after {@code maxTokens}, at a stop token (never before {@code minTokens}: stop ids are banned
 * until then), or when the text contains a stop string (the text is cut before it).
 */
public record StopCondition(int maxTokens, int minTokens, int[] stopIds, List<String> stopStrings) {
    public StopCondition {
        if (maxTokens < 0) throw new IllegalArgumentException("generation: max_tokens must be >= 0, got " + maxTokens);
        if (minTokens < 0 || minTokens > maxTokens)
            throw new IllegalArgumentException("generation: min_tokens must be in [0, max_tokens=" + maxTokens + "], got " + minTokens);
        stopIds = stopIds == null ? new int[0] : stopIds.clone();
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        for (String s : stopStrings) if (s.isEmpty()) throw new IllegalArgumentException("generation: empty stop string");
    }

    public static StopCondition maxTokens(int n, int... stopIds) {
        return new StopCondition(n, 0, stopIds, List.of());
    }
}
