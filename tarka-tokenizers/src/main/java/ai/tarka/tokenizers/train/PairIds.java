package ai.tarka.tokenizers.train;

import java.util.Arrays;

/** Open-addressing map from a token pair (left, right; both non-negative) to a dense pair id. */
final class PairIds {
    private static final long EMPTY = -1L;
    private long[] keys;
    private int[] ids;
    private int size;

    PairIds(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[cap];
        ids = new int[cap];
        Arrays.fill(keys, EMPTY);
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The id of the pair, or -1. */
    int get(int left, int right) {
        long k = key(left, right);
        int mask = keys.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            if (keys[i] == k) return ids[i];
            if (keys[i] == EMPTY) return -1;
        }
    }

    /** Stores {@code id} for a pair known to be absent. */
    void put(int left, int right, int id) {
        if (2 * (size + 1) > keys.length) grow();
        insert(key(left, right), id);
        size++;
    }

    private void insert(long k, int id) {
        int mask = keys.length - 1;
        int i = slot(k, mask);
        while (keys[i] != EMPTY) i = (i + 1) & mask;
        keys[i] = k;
        ids[i] = id;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldIds = ids;
        keys = new long[oldKeys.length * 2];
        ids = new int[oldIds.length * 2];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != EMPTY) insert(oldKeys[i], oldIds[i]);
    }

    private static int slot(long k, int mask) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }
}
