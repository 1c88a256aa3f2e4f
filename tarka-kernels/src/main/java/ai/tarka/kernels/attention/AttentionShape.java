package ai.tarka.kernels.attention;

/**
 * Sizes of one attention call over contiguous row-major arrays: queries {@code [batch, queryHeads,
 * queryLen, headDim]}, keys and values {@code [batch, kvHeads, keyLen, headDim]}. With grouped-query
 * attention several query heads share one key/value head: query head {@code h} reads kv head
 * {@code h / (queryHeads / kvHeads)}.
 */
public record AttentionShape(int batch, int queryHeads, int kvHeads, int queryLen, int keyLen, int headDim) {

    public AttentionShape {
        if (batch < 1 || queryHeads < 1 || kvHeads < 1 || queryLen < 1 || keyLen < 1 || headDim < 1) {
            throw new IllegalArgumentException("attention: every size must be >= 1, got " + describe(
                    batch, queryHeads, kvHeads, queryLen, keyLen, headDim));
        }
        if (queryHeads % kvHeads != 0) {
            throw new IllegalArgumentException("attention: query heads must be a multiple of kv heads, got "
                    + describe(batch, queryHeads, kvHeads, queryLen, keyLen, headDim));
        }
        long q = (long) batch * queryHeads * queryLen * headDim;
        long kv = (long) batch * kvHeads * keyLen * headDim;
        if (q > Integer.MAX_VALUE || kv > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attention: tensors exceed 2^31 elements, got "
                    + describe(batch, queryHeads, kvHeads, queryLen, keyLen, headDim));
        }
    }

    /** Query heads per kv head. */
    public int groupSize() {
        return queryHeads / kvHeads;
    }

    /** Elements of q, o, dQ and dO. */
    public int queryElements() {
        return batch * queryHeads * queryLen * headDim;
    }

    /** Elements of k, v, dK and dV. */
    public int keyElements() {
        return batch * kvHeads * keyLen * headDim;
    }

    /** Elements of the per-row log-sum-exp {@code [batch, queryHeads, queryLen]}. */
    public int rows() {
        return batch * queryHeads * queryLen;
    }

    /** Fails with a message naming the operation, the array and this shape when the length is wrong. */
    void requireLength(String op, String name, float[] a, long expected) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null for " + this);
        if (a.length != expected) {
            throw new IllegalArgumentException(op + ": " + name + " has " + a.length + " floats, expected "
                    + expected + " for " + this);
        }
    }

    @Override
    public String toString() {
        return describe(batch, queryHeads, kvHeads, queryLen, keyLen, headDim);
    }

    private static String describe(int b, int hq, int hkv, int t, int s, int d) {
        return "q [" + b + ", " + hq + ", " + t + ", " + d + "], k/v [" + b + ", " + hkv + ", " + s + ", " + d + "]";
    }
}
