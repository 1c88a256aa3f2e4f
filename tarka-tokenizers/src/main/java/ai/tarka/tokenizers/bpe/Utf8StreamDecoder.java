package ai.tarka.tokenizers.bpe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Decodes tokens one at a time, releasing text only when its UTF-8 bytes are complete: a character whose bytes are
 * split across tokens comes out with the token that completes it. The concatenation of everything returned by
 * {@link #accept} and {@link #finish} equals decoding all the tokens at once, U+FFFD replacements included.
 * Not thread-safe (one decoder per stream).
 */
public final class Utf8StreamDecoder {
    private final IntFunction<byte[]> tokenBytes;
    private byte[] pending = new byte[16];
    private int pendingSize;

    Utf8StreamDecoder(IntFunction<byte[]> tokenBytes) {
        this.tokenBytes = tokenBytes;
    }

    /** Adds one token; returns the text its bytes completed (possibly empty). */
    public String accept(int id) {
        byte[] b = tokenBytes.apply(id);
        if (pendingSize + b.length > pending.length) pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingSize + b.length));
        System.arraycopy(b, 0, pending, pendingSize, b.length);
        pendingSize += b.length;
        int ready = completePrefix(pending, pendingSize);
        if (ready == 0) return "";
        String text = new String(pending, 0, ready, StandardCharsets.UTF_8);
        System.arraycopy(pending, ready, pending, 0, pendingSize - ready);
        pendingSize -= ready;
        return text;
    }

    /** Ends the stream: bytes of an unfinished character come out as U+FFFD. */
    public String finish() {
        String text = new String(pending, 0, pendingSize, StandardCharsets.UTF_8);
        pendingSize = 0;
        return text;
    }

    /**
     * How many leading bytes can be decoded now: all of them unless they end in a sequence that is a valid but
     * unfinished UTF-8 character, which is held back. Since a lead byte always ends any malformed run before it,
     * decoding the prefix alone replaces exactly what decoding the whole would.
     */
    static int completePrefix(byte[] b, int n) {
        for (int back = 1; back <= 3 && back <= n; back++) {
            int lead = b[n - back] & 0xFF;
            if (lead >= 0x80 && lead < 0xC0) continue; // continuation byte: keep looking for the lead
            int need = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 1;
            if (need <= back) return n; // ASCII, invalid lead, or a finished character
            if (back >= 2 && !validSecond(lead, b[n - back + 1] & 0xFF)) return n;
            return n - back;
        }
        return n;
    }

    private static boolean validSecond(int lead, int second) {
        return switch (lead) {
            case 0xE0 -> second >= 0xA0 && second <= 0xBF;
            case 0xED -> second >= 0x80 && second <= 0x9F;
            case 0xF0 -> second >= 0x90 && second <= 0xBF;
            case 0xF4 -> second >= 0x80 && second <= 0x8F;
            default -> second >= 0x80 && second <= 0xBF;
        };
    }
}
