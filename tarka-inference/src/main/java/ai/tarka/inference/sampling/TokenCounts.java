package ai.tarka.inference.sampling;

/**
 * What the penalties need to know about a sequence: which tokens the prompt or output contains, and how often each
 * was generated. Updated per token without allocation.
 */
public final class TokenCounts {
    private final int[] generated;
    private final boolean[] seen;
    private final int[] seenIds;
    private int seenCount;

    public TokenCounts(int vocab) {
        generated = new int[vocab];
        seen = new boolean[vocab];
        seenIds = new int[vocab];
    }

    public void addPrompt(int[] ids) {
        for (int id : ids) markSeen(id);
    }

    public void addGenerated(int id) {
        generated[id]++;
        markSeen(id);
    }

    private void markSeen(int id) {
        if (!seen[id]) {
            seen[id] = true;
            seenIds[seenCount++] = id;
        }
    }

    int generatedCount(int id) {
        return generated[id];
    }

    int seenCount() {
        return seenCount;
    }

    int seenId(int i) {
        return seenIds[i];
    }

    public void clear() {
        for (int i = 0; i < seenCount; i++) {
            seen[seenIds[i]] = false;
            generated[seenIds[i]] = 0;
        }
        seenCount = 0;
    }
}
