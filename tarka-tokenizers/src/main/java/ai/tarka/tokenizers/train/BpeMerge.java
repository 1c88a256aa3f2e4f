package ai.tarka.tokenizers.train;

import ai.tarka.tokenizers.bpe.ByteUnicodeTable;

import java.util.Arrays;

/** One learnt merge: the byte strings of the left and right token, in merge order. */
public record BpeMerge(byte[] left, byte[] right) {
    public BpeMerge {
        left = left.clone();
        right = right.clone();
    }

    @Override
    public byte[] left() {
        return left.clone();
    }

    @Override
    public byte[] right() {
        return right.clone();
    }

    /** The byte string of the token this merge creates. */
    public byte[] merged() {
        byte[] m = Arrays.copyOf(left, left.length + right.length);
        System.arraycopy(right, 0, m, left.length, right.length);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BpeMerge m && Arrays.equals(left, m.left) && Arrays.equals(right, m.right);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(left) + Arrays.hashCode(right);
    }

    /** GPT-2 merges-file form: both sides byte-to-unicode mapped, separated by one space. */
    @Override
    public String toString() {
        return ByteUnicodeTable.encode(left) + " " + ByteUnicodeTable.encode(right);
    }
}
