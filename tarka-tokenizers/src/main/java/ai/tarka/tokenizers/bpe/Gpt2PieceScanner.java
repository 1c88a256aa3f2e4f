package ai.tarka.tokenizers.bpe;

/**
 * A hand-written equivalent of GPT-2's pre-tokenizer regex ({@code PreTokenizerPatterns.GPT2} compiled with Unicode
 * character classes), about twice as fast as {@link java.util.regex}. The regex's pieces tile the text, so the scanner
 * only needs where the piece starting at a position ends. Classes follow Java's Unicode-class definitions: {@code \s}
 * is White_Space, {@code \p{L}} letters, {@code \p{N}} numbers.
 */
final class Gpt2PieceScanner {
    private Gpt2PieceScanner() {}

    private static final int OTHER = 0, LETTER = 1, NUMBER = 2, SPACE = 3;

    static int classOf(int cp) {
        if (cp < 0x80) {
            if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return LETTER;
            if (cp >= '0' && cp <= '9') return NUMBER;
            if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return SPACE;
            return OTHER;
        }
        int type = Character.getType(cp);
        return switch (type) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SPACE;
            default -> cp == 0x85 ? SPACE : OTHER;
        };
    }

    /** The end of the piece that starts at {@code start} (< end); the text is scanned only within [start, end). */
    static int pieceEnd(String text, int start, int end) {
        char c = text.charAt(start);
        if (c == '\'' && start + 1 < end) {
            char d = text.charAt(start + 1);
            if (d == 's' || d == 't' || d == 'm' || d == 'd') return start + 2;
            if (start + 2 < end) {
                char e = text.charAt(start + 2);
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return start + 3;
            }
        }
        int at = start;
        if (c == ' ' && start + 1 < end) {
            int nextClass = classOf(text.codePointAt(start + 1));
            if (nextClass != SPACE) at = start + 1;
        }
        int cp = text.codePointAt(at);
        int cls = classOf(cp);
        if (cls != SPACE) {
            int i = at + Character.charCount(cp);
            while (i < end) {
                int q = text.codePointAt(i);
                if (classOf(q) != cls) break;
                i += Character.charCount(q);
            }
            return i;
        }
        // whitespace run: all of it at the end of the text, else all but its last character (which then leads the
        // next piece), else the single whitespace character
        int i = start;
        int lastStart = start;
        while (i < end) {
            int q = text.codePointAt(i);
            if (classOf(q) != SPACE) break;
            lastStart = i;
            i += Character.charCount(q);
        }
        if (i == end) return i;
        return lastStart > start ? lastStart : i;
    }
}
