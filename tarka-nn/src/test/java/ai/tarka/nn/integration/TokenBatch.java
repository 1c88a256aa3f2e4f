package ai.tarka.nn.integration;

import ai.tarka.engine.AttentionMask;
import ai.tarka.engine.Rope;
import java.util.Arrays;

/**
 * One batch of token rows for the tiny test models: ids and targets {@code [B·T]} row-major, the
 * position of every token (length T when all rows share {@code 0..T−1}, else B·T) and the attention mask.
 * Targets equal to {@link #IGNORE} are not trained on.
 */
record TokenBatch(int[] ids, int batch, int length, int[] positions, AttentionMask mask, int[] targets) {
    static final int IGNORE = -100;

    TokenBatch {
        if (ids.length != batch * length || targets.length != batch * length) {
            throw new IllegalArgumentException("TokenBatch: " + ids.length + " ids and " + targets.length
                    + " targets for B=" + batch + ", T=" + length);
        }
        if (positions.length != length && positions.length != batch * length) {
            throw new IllegalArgumentException("TokenBatch: " + positions.length + " positions for B=" + batch + ", T=" + length);
        }
    }

    /** Full rows of equal length under a causal mask, positions {@code 0..T−1}. */
    static TokenBatch causal(int[] ids, int[] targets, int batch, int length) {
        return new TokenBatch(ids, batch, length, Rope.positions(0, length), AttentionMask.causal(), targets);
    }

    /** One sample alone (B = 1). */
    static TokenBatch single(int[] ids, int[] targets) {
        return causal(ids, targets, 1, ids.length);
    }

    /**
     * Samples of different lengths right-padded to {@code length} with {@code padId}: padded targets
     * are ignored and padded keys hidden through the mask's key lengths.
     */
    static TokenBatch rightPadded(int[][] ids, int[][] targets, int length, int padId) {
        int b = ids.length;
        int[] flatIds = new int[b * length], flatTargets = new int[b * length], lengths = new int[b];
        Arrays.fill(flatIds, padId);
        Arrays.fill(flatTargets, IGNORE);
        for (int i = 0; i < b; i++) {
            lengths[i] = ids[i].length;
            System.arraycopy(ids[i], 0, flatIds, i * length, ids[i].length);
            System.arraycopy(targets[i], 0, flatTargets, i * length, targets[i].length);
        }
        return new TokenBatch(flatIds, b, length, Rope.positions(0, length),
                AttentionMask.causalWithPadding(lengths), flatTargets);
    }

    /**
     * Each row holds several samples back to back (rows[b] lists them); every sample gets its own
     * segment id and positions restarting at 0. Rows must fill {@code length} exactly.
     */
    static TokenBatch packed(int[][][] rowIds, int[][][] rowTargets, int length) {
        int b = rowIds.length;
        int[] ids = new int[b * length], targets = new int[b * length], positions = new int[b * length];
        int[] segments = new int[b * length];
        for (int r = 0; r < b; r++) {
            int at = r * length;
            for (int s = 0; s < rowIds[r].length; s++) {
                int[] sample = rowIds[r][s];
                for (int i = 0; i < sample.length; i++, at++) {
                    ids[at] = sample[i];
                    targets[at] = rowTargets[r][s][i];
                    positions[at] = i;
                    segments[at] = s;
                }
            }
            if (at != (r + 1) * length) throw new IllegalArgumentException("packed: row " + r + " does not fill T=" + length);
        }
        return new TokenBatch(ids, b, length, positions, AttentionMask.causalPacked(segments), targets);
    }

    /** Number of targets that are trained on. */
    long trainedTokens() {
        long n = 0;
        for (int t : targets) if (t != IGNORE) n++;
        return n;
    }
}
