package ai.tarka.inference;

/**
 * One sequence being generated: its KV cache and how many positions it holds. Created by
 * {@link LlamaInference#newSequence}; not thread-safe (one step at a time).
 */
public final class SequenceState {
    private final KvCache cache;
    private int length;

    SequenceState(KvCache cache) {
        this.cache = cache;
    }

    public KvCache cache() {
        return cache;
    }

    /** Positions already in the cache (the next token goes at this position). */
    public int length() {
        return length;
    }

    /** Room left in the cache. */
    public int remaining() {
        return cache.capacity() - length;
    }

    void advance(int n) {
        length += n;
    }

    /** Forgets positions from {@code n} on (rejected speculative tokens; a new conversation with {@code n = 0}). */
    public void truncate(int n) {
        if (n < 0 || n > length) throw new IllegalArgumentException("SequenceState.truncate: " + n + " outside [0, " + length + "]");
        length = n;
    }
}
