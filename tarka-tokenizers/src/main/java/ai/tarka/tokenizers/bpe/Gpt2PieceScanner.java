package ai.tarka.tokenizers.bpe;

/**
 * A hand-written equivalent of GPT-2's pre-tokenizer regex ({@code PreTokenizerPatterns.GPT2} compiled with Unicode
 * character classes), about twice as fast as {@link java.util.regex}. The regex's pieces tile the text, so the scanner
 * only needs where the piece starting at a position ends.
 */
final class Gpt2PieceScanner {
    private Gpt2PieceScanner() {}

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
            int nextClass = PieceCharClass.of(text.codePointAt(start + 1));
            if (nextClass != PieceCharClass.SPACE) at = start + 1;
        }
        int cp = text.codePointAt(at);
        int cls = PieceCharClass.of(cp);
        if (cls != PieceCharClass.SPACE) {
            int i = at + Character.charCount(cp);
            while (i < end) {
                int q = text.codePointAt(i);
                if (PieceCharClass.of(q) != cls) break;
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
            if (PieceCharClass.of(q) != PieceCharClass.SPACE) break;
            lastStart = i;
            i += Character.charCount(q);
        }
        if (i == end) return i;
        return lastStart > start ? lastStart : i;
    }
}
