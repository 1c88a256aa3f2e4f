package ai.tarka.tokenizers.bpe;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * Decodes tokens one at a time, releasing text only when its UTF-8 bytes are complete: a character whose bytes are
 * split across tokens comes out with the token that completes it. The concatenation of everything returned by
 * {@link #accept} and {@link #finish} equals {@link ByteLevelBpe#decode} of all the tokens, U+FFFD replacements
 * included: both use the JDK's UTF-8 decoder, which holds back an unfinished sequence until more input (or the end)
 * shows whether it is valid. Not thread-safe (one decoder per stream).
 */
public final class Utf8StreamDecoder {
    private final IntFunction<byte[]> tokenBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(32); // write mode between calls
    private CharBuffer text = CharBuffer.allocate(32);

    Utf8StreamDecoder(IntFunction<byte[]> tokenBytes) {
        this.tokenBytes = tokenBytes;
    }

    /** Adds one token; returns the text its bytes completed (possibly empty). */
    public String accept(int id) {
        byte[] b = tokenBytes.apply(id);
        if (pending.remaining() < b.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + b.length));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        pending.put(b);
        pending.flip();
        decode(false);
        pending.compact();
        return drain();
    }

    /** Ends the stream: bytes of an unfinished character come out as U+FFFD. The decoder can then be reused. */
    public String finish() {
        pending.flip();
        decode(true);
        while (decoder.flush(text).isOverflow()) growText();
        pending.clear();
        decoder.reset();
        return drain();
    }

    private void decode(boolean endOfInput) {
        while (true) {
            CoderResult r = decoder.decode(pending, text, endOfInput);
            if (!r.isOverflow()) return;
            growText();
        }
    }

    private void growText() {
        CharBuffer bigger = CharBuffer.allocate(text.capacity() * 2);
        text.flip();
        bigger.put(text);
        text = bigger;
    }

    private String drain() {
        text.flip();
        String s = text.toString();
        text.clear();
        return s;
    }
}
