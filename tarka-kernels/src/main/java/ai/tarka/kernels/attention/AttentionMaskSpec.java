package ai.tarka.kernels.attention;

import java.util.Arrays;

/**
 * Which keys each query may attend to. Three independent conditions, all of which must hold:
 * <ul>
 *   <li>{@code causal}: query {@code i} sees key {@code j} only when {@code j <= i + (keyLen - queryLen)},
 *       i.e. the queries are aligned to the end of the keys (the usual case is keyLen == queryLen; with a
 *       cache of earlier keys the newest query sees them all).</li>
 *   <li>{@code keyLengths} (optional, one per batch element): keys {@code j >= keyLengths[b]} are padding
 *       and never attended. Right padding only; it lets the kernel skip whole padded key blocks.</li>
 *   <li>{@code segmentIds} (optional, {@code [batch * queryLen]}, needs keyLen == queryLen): packed
 *       sequences; query {@code i} sees key {@code j} only when their segment ids are equal.</li>
 * </ul>
 * A query row that sees no key at all yields a zero output and a log-sum-exp of -infinity, and
 * contributes nothing to any gradient.
 */
public record AttentionMaskSpec(boolean causal, int[] keyLengths, int[] segmentIds) {

    public static final AttentionMaskSpec NONE = new AttentionMaskSpec(false, null, null);
    public static final AttentionMaskSpec CAUSAL = new AttentionMaskSpec(true, null, null);

    public AttentionMaskSpec {
        keyLengths = keyLengths == null ? null : keyLengths.clone();
        segmentIds = segmentIds == null ? null : segmentIds.clone();
    }

    @Override
    public int[] keyLengths() {
        return keyLengths == null ? null : keyLengths.clone();
    }

    @Override
    public int[] segmentIds() {
        return segmentIds == null ? null : segmentIds.clone();
    }

    public boolean hasKeyLengths() {
        return keyLengths != null;
    }

    public boolean hasSegments() {
        return segmentIds != null;
    }

    /** Key length of batch element {@code b} (the whole key length when there is no padding). */
    int keyLength(int b, int keyLen) {
        return keyLengths == null ? keyLen : keyLengths[b];
    }

    /**
     * One past the last key query {@code qi} of batch element {@code b} may see through the causal and
     * padding conditions (both cut a prefix of the keys); may be {@code <= 0} when it sees none.
     * Never decreases as {@code qi} grows, so a query block's last row bounds the whole block.
     */
    int keyLimit(int b, int qi, AttentionShape s) {
        int limit = keyLengths == null ? s.keyLen() : keyLengths[b];
        if (causal) limit = Math.min(limit, qi + s.keyLen() - s.queryLen() + 1);
        return limit;
    }

    /**
     * False only when no query in {@code [q0, q1)} can share a segment with a key in {@code [k0, k1)}
     * of batch element {@code b}: the id ranges of the two spans do not overlap. Packed sequences have
     * ascending ids, so this skips most off-diagonal blocks.
     */
    boolean segmentsMayMeet(int b, int q0, int q1, int k0, int k1, int queryLen) {
        if (segmentIds == null) return true;
        int base = b * queryLen;
        int qLo = Integer.MAX_VALUE, qHi = Integer.MIN_VALUE, kLo = Integer.MAX_VALUE, kHi = Integer.MIN_VALUE;
        for (int i = base + q0; i < base + q1; i++) {
            qLo = Math.min(qLo, segmentIds[i]);
            qHi = Math.max(qHi, segmentIds[i]);
        }
        for (int j = base + k0; j < base + k1; j++) {
            kLo = Math.min(kLo, segmentIds[j]);
            kHi = Math.max(kHi, segmentIds[j]);
        }
        return qLo <= kHi && kLo <= qHi;
    }

    /** Sets {@code s[off + j]} to -infinity for keys {@code j < n} outside query {@code queryIndex}'s segment. */
    void maskOtherSegments(float[] s, int off, int n, int queryIndex, int firstKeyIndex) {
        int seg = segmentIds[queryIndex];
        for (int j = 0; j < n; j++) {
            if (segmentIds[firstKeyIndex + j] != seg) s[off + j] = Float.NEGATIVE_INFINITY;
        }
    }

    /** Fails with a message naming the operation and shape when the mask does not fit the shape. */
    void check(String op, AttentionShape shape) {
        if (keyLengths != null) {
            if (keyLengths.length != shape.batch()) {
                throw new IllegalArgumentException(op + ": keyLengths has " + keyLengths.length
                        + " entries, expected one per batch element (" + shape.batch() + ") for " + shape);
            }
            for (int b = 0; b < keyLengths.length; b++) {
                if (keyLengths[b] < 0 || keyLengths[b] > shape.keyLen()) {
                    throw new IllegalArgumentException(op + ": keyLengths[" + b + "] = " + keyLengths[b]
                            + " outside [0, " + shape.keyLen() + "] for " + shape);
                }
            }
        }
        if (segmentIds != null) {
            if (shape.keyLen() != shape.queryLen()) {
                throw new IllegalArgumentException(op + ": segment ids need keyLen == queryLen for " + shape);
            }
            long expected = (long) shape.batch() * shape.queryLen();
            if (segmentIds.length != expected) {
                throw new IllegalArgumentException(op + ": segmentIds has " + segmentIds.length
                        + " entries, expected batch * queryLen = " + expected + " for " + shape);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionMaskSpec m && causal == m.causal
                && Arrays.equals(keyLengths, m.keyLengths) && Arrays.equals(segmentIds, m.segmentIds);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(causal) * 31 * 31 + Arrays.hashCode(keyLengths) * 31 + Arrays.hashCode(segmentIds);
    }

    @Override
    public String toString() {
        return "AttentionMaskSpec[causal=" + causal + ", keyLengths=" + Arrays.toString(keyLengths)
                + ", segmentIds=" + (segmentIds == null ? "null" : segmentIds.length + " ids") + "]";
    }
}
