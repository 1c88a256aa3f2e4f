package ai.tarka.engine;

import ai.tarka.kernels.attention.AttentionMaskSpec;
import java.util.Arrays;

/**
 * Which keys each query of {@link Attention#scaledDotProduct} may attend to; every condition given
 * must hold.
 *
 * @param isCausal    query {@code i} sees keys {@code j <= i + (S − T)}: queries aligned to the end of the
 *                    keys, so with {@code S == T} each token sees itself and what came before
 * @param keyLengths  optional, one per batch element: keys at positions {@code >= keyLengths[b]} are
 *                    padding (right padding) and hidden
 * @param segmentIds  optional, {@code [B·T]} row-major (needs {@code S == T}): packed sequences; a token
 *                    sees only keys with its own segment id
 *
 * <p>A query that sees no key at all gets a zero output row and no gradient.
 */
public record AttentionMask(boolean isCausal, int[] keyLengths, int[] segmentIds) {

    public AttentionMask {
        keyLengths = keyLengths == null ? null : keyLengths.clone();
        segmentIds = segmentIds == null ? null : segmentIds.clone();
    }

    /** Every query sees every key. */
    public static AttentionMask none() {
        return new AttentionMask(false, null, null);
    }

    /** Each query sees itself and the keys before it (aligned to the end when {@code S != T}). */
    public static AttentionMask causal() {
        return new AttentionMask(true, null, null);
    }

    /** No causal limit; batch element {@code b} has {@code keyLengths[b]} real keys, the rest is padding. */
    public static AttentionMask padding(int... keyLengths) {
        return new AttentionMask(false, keyLengths, null);
    }

    /** Causal, and batch element {@code b} has {@code keyLengths[b]} real keys followed by padding. */
    public static AttentionMask causalWithPadding(int... keyLengths) {
        return new AttentionMask(true, keyLengths, null);
    }

    /**
     * Causal within packed sequences: {@code segmentIds} is {@code [B·T]} row-major, and a token sees
     * only earlier-or-same positions that carry its segment id.
     */
    public static AttentionMask causalPacked(int[] segmentIds) {
        return new AttentionMask(true, null, segmentIds);
    }

    @Override
    public int[] keyLengths() {
        return keyLengths == null ? null : keyLengths.clone();
    }

    @Override
    public int[] segmentIds() {
        return segmentIds == null ? null : segmentIds.clone();
    }

    /** The kernels' form of this mask. */
    public AttentionMaskSpec spec() {
        return new AttentionMaskSpec(isCausal, keyLengths, segmentIds);
    }

    /** Fails with a {@link ShapeException} naming {@code op} and the shapes when this mask does not fit. */
    void check(String op, int batch, int queryLen, int keyLen, int[]... shapes) {
        if (keyLengths != null) {
            if (keyLengths.length != batch) {
                throw new ShapeException(op, "keyLengths has " + keyLengths.length + " entries for batch " + batch, shapes);
            }
            for (int b = 0; b < batch; b++) {
                if (keyLengths[b] < 0 || keyLengths[b] > keyLen) {
                    throw new ShapeException(op, "keyLengths[" + b + "] = " + keyLengths[b] + " is outside [0, "
                            + keyLen + "]", shapes);
                }
            }
        }
        if (segmentIds != null) {
            if (queryLen != keyLen) {
                throw new ShapeException(op, "segment ids need as many keys as queries (S " + keyLen + " != T "
                        + queryLen + ")", shapes);
            }
            if (segmentIds.length != (long) batch * queryLen) {
                throw new ShapeException(op, "segmentIds has " + segmentIds.length + " entries, expected B*T = "
                        + (long) batch * queryLen, shapes);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionMask m && isCausal == m.isCausal
                && Arrays.equals(keyLengths, m.keyLengths) && Arrays.equals(segmentIds, m.segmentIds);
    }

    @Override
    public int hashCode() {
        return (Boolean.hashCode(isCausal) * 31 + Arrays.hashCode(keyLengths)) * 31 + Arrays.hashCode(segmentIds);
    }

    @Override
    public String toString() {
        return "AttentionMask[causal=" + isCausal + ", keyLengths=" + Arrays.toString(keyLengths)
                + ", segmentIds=" + (segmentIds == null ? "none" : segmentIds.length + " ids") + "]";
    }
}
