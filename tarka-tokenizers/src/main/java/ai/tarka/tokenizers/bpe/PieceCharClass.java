package ai.tarka.tokenizers.bpe;

/**
 * The character classes the byte-level pre-tokenizer regexes use, with Java's Unicode-class definitions
 * ({@code Pattern.UNICODE_CHARACTER_CLASS}): {@code \s} is White_Space, {@code \p{L}} letters, {@code \p{N}} numbers.
 */
final class PieceCharClass {
    private PieceCharClass() {}

    static final int OTHER = 0, LETTER = 1, NUMBER = 2, SPACE = 3;

    static int of(int cp) {
        if (cp < 0x80) {
            if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return LETTER;
            if (cp >= '0' && cp <= '9') return NUMBER;
            if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return SPACE;
            return OTHER;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SPACE;
            default -> cp == 0x85 ? SPACE : OTHER;
        };
    }
}
