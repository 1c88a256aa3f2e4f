package ai.tarka.tokenizers.train;

import ai.tarka.tokenizers.bpe.ByteUnicodeTable;

/** How the 256 single-byte tokens are numbered after the special tokens. */
public enum ByteTokenOrder {
    /** Byte value order: byte b gets id (specials + b). */
    BYTE_VALUE,
    /** GPT-2's vocab order (printable bytes first, see {@link ByteUnicode}); what the CS336 reference vocab uses. */
    GPT2;

    /** The byte value of the i-th byte token (0..255). */
    int byteAt(int i) {
        return this == BYTE_VALUE ? i : ByteUnicodeTable.gpt2OrderByte(i);
    }
}
