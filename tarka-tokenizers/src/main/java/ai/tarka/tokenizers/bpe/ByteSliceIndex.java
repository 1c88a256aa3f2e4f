package ai.tarka.tokenizers.bpe;

import java.util.Arrays;

/** Open-addressing map from a token's bytes to its id, looked up by slices of a buffer without copying. */
final class ByteSliceIndex {
    private final byte[][] tokenBytes;
    private final int[] ids;
    private final int mask;

    /** Indexes every non-null entry of {@code tokenBytes} (id = index); the first id of duplicate byte strings wins. */
    ByteSliceIndex(byte[][] tokenBytes) {
        this.tokenBytes = tokenBytes;
        int cap = Integer.highestOneBit(Math.max(16, tokenBytes.length * 2)) << 1;
        ids = new int[cap];
        Arrays.fill(ids, -1);
        mask = cap - 1;
        for (int id = 0; id < tokenBytes.length; id++) {
            byte[] t = tokenBytes[id];
            if (t == null) continue;
            int s = hash(t, 0, t.length) & mask;
            boolean present = false;
            while (ids[s] >= 0) {
                if (Arrays.equals(tokenBytes[ids[s]], t)) {
                    present = true;
                    break;
                }
                s = (s + 1) & mask;
            }
            if (!present) ids[s] = id;
        }
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) h = (h ^ b[i]) * 0x01000193;
        return h ^ (h >>> 16);
    }

    /** The id of the token whose bytes equal {@code b[from, to)}, or -1. */
    int find(byte[] b, int from, int to) {
        int s = hash(b, from, to) & mask;
        while (true) {
            int id = ids[s];
            if (id < 0) return -1;
            if (Arrays.equals(tokenBytes[id], 0, tokenBytes[id].length, b, from, to)) return id;
            s = (s + 1) & mask;
        }
    }
}
