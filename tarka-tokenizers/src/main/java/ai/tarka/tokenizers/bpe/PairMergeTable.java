package ai.tarka.tokenizers.bpe;

import java.util.Arrays;

/**
 * Open-addressing map from an adjacent token pair (left id, right id) to the merge's rank and the merged token id.
 * Lower rank merges first. Built once, then read-only (safe to share between threads).
 */
final class PairMergeTable {
    static final int NO_MERGE = Integer.MAX_VALUE;
    private static final long EMPTY = -1L;

    private long[] keys;
    private int[] ranks;
    private int[] merged;
    private int size;
    private int mask;

    PairMergeTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        ranks = new int[cap];
        merged = new int[cap];
        mask = cap - 1;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** Adds a merge unless the pair already has one with a lower or equal rank (the first merge listed wins). */
    void put(int left, int right, int rank, int mergedId) {
        if ((size + 1) * 2 > keys.length) grow();
        long k = key(left, right);
        int s = slot(k, mask);
        while (keys[s] != EMPTY) {
            if (keys[s] == k) {
                if (rank < ranks[s]) {
                    ranks[s] = rank;
                    merged[s] = mergedId;
                }
                return;
            }
            s = (s + 1) & mask;
        }
        keys[s] = k;
        ranks[s] = rank;
        merged[s] = mergedId;
        size++;
    }

    /** The slot holding the pair, or -1. */
    int find(int left, int right) {
        long k = key(left, right);
        int s = slot(k, mask);
        while (true) {
            long at = keys[s];
            if (at == k) return s;
            if (at == EMPTY) return -1;
            s = (s + 1) & mask;
        }
    }

    int rank(int left, int right) {
        int s = find(left, right);
        return s < 0 ? NO_MERGE : ranks[s];
    }

    int mergedAt(int slot) {
        return merged[slot];
    }

    int size() {
        return size;
    }

    /** Every entry as {left, right, rank, merged id}, by rank, then left id, then right id (a fixed order for ties). */
    int[][] entriesByRank() {
        int[][] out = new int[size][];
        int n = 0;
        for (int s = 0; s < keys.length; s++) {
            if (keys[s] != EMPTY) out[n++] = new int[] {(int) (keys[s] >>> 32), (int) keys[s], ranks[s], merged[s]};
        }
        Arrays.sort(out, (a, b) -> a[2] != b[2] ? Integer.compare(a[2], b[2])
                : a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        return out;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldRanks = ranks, oldMerged = merged;
        int cap = oldKeys.length * 2;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        ranks = new int[cap];
        merged = new int[cap];
        mask = cap - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) put((int) (oldKeys[i] >>> 32), (int) oldKeys[i], oldRanks[i], oldMerged[i]);
        }
    }
}
