package ai.tarka.tokenizers;

/** What every loaded tokenizer offers, whatever its file format. */
public interface TextTokenizer {
    /** Token ids of {@code text}; special and added tokens written in the text are recognised. */
    int[] encode(String text);

    /** Token ids of {@code text} with special-token text treated as plain text. */
    int[] encodeOrdinary(String text);

    /** The text of {@code ids} (invalid UTF-8 replaced by U+FFFD). */
    String decode(int[] ids);
}
