package ai.tarka.tokenizers.bpe;

import static ai.tarka.tokenizers.bpe.PieceCharClass.LETTER;
import static ai.tarka.tokenizers.bpe.PieceCharClass.NUMBER;
import static ai.tarka.tokenizers.bpe.PieceCharClass.OTHER;
import static ai.tarka.tokenizers.bpe.PieceCharClass.SPACE;

/**
 * A hand-written equivalent of cl100k_base's pre-tokenizer regex ({@code PreTokenizerPatterns.CL100K} with Unicode
 * character classes). The regex's branches, in the order they are tried at a position:
 * case-insensitive contractions; an optional non-letter/number/newline character then letters; one to three numbers;
 * an optional space, a run of "other" characters, trailing newlines; whitespace up to its last newline; whitespace
 * but its last character unless at the end; any whitespace.
 *
 * <p>Llama 3 uses the same pattern; Qwen2/Qwen3 use it with single digits ({@code \p{N}} instead of {@code \p{N}{1,3}}),
 * which is {@code maxDigits = 1}.
 */
final class Cl100kPieceScanner {
    private Cl100kPieceScanner() {}

    /** The end of the piece that starts at {@code start} (< end); the text is scanned only within [start, end). */
    static int pieceEnd(String text, int start, int end) {
        return pieceEnd(text, start, end, 3);
    }

    /** As {@link #pieceEnd(String, int, int)} with numbers split into runs of at most {@code maxDigits}. */
    static int pieceEnd(String text, int start, int end, int maxDigits) {
        int c = text.codePointAt(start);
        if (c == '\'' && start + 1 < end) {
            int d = fold(text.charAt(start + 1));
            if (d == 's' || d == 't' || d == 'm' || d == 'd') return start + 2;
            if (start + 2 < end) {
                int e = fold(text.charAt(start + 2));
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return start + 3;
            }
        }
        int cls = PieceCharClass.of(c);
        int afterC = start + Character.charCount(c);
        if (cls == LETTER) return run(text, afterC, end, LETTER);
        int nextCls = afterC < end ? PieceCharClass.of(text.codePointAt(afterC)) : -1;
        if (cls != NUMBER && c != '\r' && c != '\n' && nextCls == LETTER) return run(text, afterC, end, LETTER);
        if (cls == NUMBER) {
            int i = afterC;
            for (int k = 1; k < maxDigits && i < end; k++) {
                int q = text.codePointAt(i);
                if (PieceCharClass.of(q) != NUMBER) break;
                i += Character.charCount(q);
            }
            return i;
        }
        if (cls == OTHER || (c == ' ' && nextCls == OTHER)) {
            int i = run(text, afterC, end, OTHER);
            while (i < end && (text.charAt(i) == '\r' || text.charAt(i) == '\n')) i++;
            return i;
        }
        // whitespace
        int i = start, lastStart = start, lastNewline = -1;
        while (i < end) {
            int q = text.codePointAt(i);
            if (PieceCharClass.of(q) != SPACE) break;
            if (q == '\r' || q == '\n') lastNewline = i;
            lastStart = i;
            i += Character.charCount(q);
        }
        if (lastNewline >= 0) return lastNewline + 1;
        if (i == end) return i;
        return lastStart > start ? lastStart : i;
    }

    /** Java's case-insensitive single-character comparison folds through upper then lower case. */
    private static int fold(char ch) {
        return Character.toLowerCase(Character.toUpperCase(ch));
    }

    private static int run(String text, int from, int end, int cls) {
        int i = from;
        while (i < end) {
            int q = text.codePointAt(i);
            if (PieceCharClass.of(q) != cls) break;
            i += Character.charCount(q);
        }
        return i;
    }
}
