package ai.tarka.tokenizers.bpe;

/**
 * GPT-2's reversible byte-to-character table: printable Latin-1 bytes map to themselves, the other 68 bytes to
 * U+0100 onwards in byte order, so that every vocabulary entry of {@code encoder.json}/{@code vocab.bpe} is a
 * printable string.
 */
public final class ByteUnicodeTable {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final short[] CHAR_TO_BYTE = new short[512];
    /** The 256 byte values in GPT-2's vocab order: the self-mapped printable bytes first, then the rest. */
    private static final int[] GPT2_ORDER = new int[256];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) if (BYTE_TO_CHAR[b] == b) GPT2_ORDER[n++] = b;
        for (int b = 0; b < 256; b++) if (BYTE_TO_CHAR[b] != b) GPT2_ORDER[n++] = b;
    }

    /** Byte value at position {@code i} (0..255) of GPT-2's byte-token order (the ids of its first 256 tokens). */
    public static int gpt2OrderByte(int i) {
        return GPT2_ORDER[i];
    }

    private ByteUnicodeTable() {}

    public static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte & 0xFF];
    }

    /** The byte a table character stands for, or -1 when the character is not in the table. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The bytes a vocabulary string stands for, or null when it holds a character outside the table. */
    public static byte[] decode(String tableText) {
        byte[] out = new byte[tableText.length()];
        for (int i = 0; i < out.length; i++) {
            int b = byteOf(tableText.charAt(i));
            if (b < 0) return null;
            out[i] = (byte) b;
        }
        return out;
    }

    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }
}
