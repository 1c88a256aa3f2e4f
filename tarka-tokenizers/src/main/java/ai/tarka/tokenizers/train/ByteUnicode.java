package ai.tarka.tokenizers.train;

/**
 * GPT-2's reversible byte-to-printable-character mapping (its {@code bytes_to_unicode}): printable
 * Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards in byte order, so that vocab
 * and merges files never contain spaces or control characters (space becomes {@code Ġ}).
 */
public final class ByteUnicode {
    private ByteUnicode() {}

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** The 256 byte values in GPT-2's vocab order: the self-mapped printable bytes first, then the rest. */
    private static final int[] GPT2_ORDER = new int[256];

    static {
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (isSelfMapped(b)) {
                BYTE_TO_CHAR[b] = (char) b;
                GPT2_ORDER[n++] = b;
            }
        }
        int next = 256;
        for (int b = 0; b < 256; b++) {
            if (!isSelfMapped(b)) {
                BYTE_TO_CHAR[b] = (char) next++;
                GPT2_ORDER[n++] = b;
            }
        }
    }

    private static boolean isSelfMapped(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The printable character standing for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The printable string standing for a byte string. */
    public static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) sb.append(BYTE_TO_CHAR[b & 0xFF]);
        return sb.toString();
    }

    /** Byte value at position {@code i} (0..255) of GPT-2's byte-token order. */
    public static int gpt2OrderByte(int i) {
        return GPT2_ORDER[i];
    }
}
