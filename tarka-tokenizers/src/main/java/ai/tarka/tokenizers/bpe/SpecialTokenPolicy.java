package ai.tarka.tokenizers.bpe;

/** Whether special-token text inside raw input becomes the special id or is encoded as ordinary text. */
public enum SpecialTokenPolicy {
    /** Every special token's text in the input becomes its special id (tiktoken {@code allowed_special="all"}). */
    RECOGNISE,
    /** Special-token text is ordinary text (tiktoken {@code encode_ordinary}). */
    PLAIN_TEXT
}
