package ai.tarka.inference;

import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.bpe.Utf8StreamDecoder;
import java.util.Arrays;

/**
 * Turns generated tokens into text as they arrive, releasing a character only when its UTF-8 bytes are complete.
 * Byte-level BPE tokenizers use their {@link Utf8StreamDecoder}; others re-decode the tokens so far and release what
 * was added, holding back a trailing U+FFFD that the next token may complete.
 */
public final class TextStream {
    private final TextTokenizer tokenizer;
    private final Utf8StreamDecoder bytes;
    private int[] ids = new int[64];
    private int count;
    private int released;

    public TextStream(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.bytes = tokenizer instanceof ByteLevelBpe b ? b.streamDecoder() : null;
    }

    /** Adds a token; returns the text it completes (possibly empty). */
    public String accept(int id) {
        if (bytes != null) return bytes.accept(id);
        if (count == ids.length) ids = Arrays.copyOf(ids, 2 * count);
        ids[count++] = id;
        String text = tokenizer.decode(Arrays.copyOf(ids, count));
        if (text.endsWith("\uFFFD") || text.length() <= released) return "";
        String out = text.substring(released);
        released = text.length();
        return out;
    }

    /** Releases whatever is held back (an unfinished character as U+FFFD). */
    public String finish() {
        if (bytes != null) return bytes.finish();
        String text = tokenizer.decode(Arrays.copyOf(ids, count));
        String out = text.length() > released ? text.substring(released) : "";
        released = text.length();
        return out;
    }
}
