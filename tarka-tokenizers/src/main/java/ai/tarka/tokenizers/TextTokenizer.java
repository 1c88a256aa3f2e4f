package ai.tarka.tokenizers;

/** What every loaded tokenizer offers, whatever its file format. */
public interface TextTokenizer {
    /** Token ids of {@code text}; special and added tokens written in the text are recognised. No BOS/EOS is added. */
    int[] encode(String text);

    /** Token ids of {@code text} with special-token text treated as plain text. */
    int[] encodeOrdinary(String text);

    /** The text of {@code ids} (invalid UTF-8 replaced by U+FFFD). */
    String decode(int[] ids);

    /** The tokens the tokenizer's configuration adds around a sequence (BOS, [CLS]/[SEP]); none by default. */
    default BoundaryTokens boundaryTokens() {
        return BoundaryTokens.NONE;
    }

    /**
     * Like {@link #encode(String)}, and with {@code addSpecialTokens} also the configured {@link #boundaryTokens()}
     * (Hugging Face's {@code add_special_tokens}, llama.cpp's {@code add_special}); a BOS the text already starts with
     * is not doubled.
     */
    default int[] encode(String text, boolean addSpecialTokens) {
        int[] ids = encode(text);
        return addSpecialTokens ? boundaryTokens().apply(ids) : ids;
    }
}
