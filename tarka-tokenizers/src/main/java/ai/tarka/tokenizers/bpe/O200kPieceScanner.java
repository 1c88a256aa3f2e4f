package ai.tarka.tokenizers.bpe;

/**
 * A hand-written equivalent of o200k_base's pre-tokenizer regex ({@code PreTokenizerPatterns.O200K} with Unicode
 * character classes). Its first two branches split words at case changes: "upper" letters are Lu/Lt/Lm/Lo/M and
 * "lower" letters Ll/Lm/Lo/M (Lm, Lo and marks belong to both), each branch optionally led by one character that is
 * not a letter, number or newline, and followed by an optional case-insensitive contraction. Marks (M) are not
 * {@code \p{L}}, so outside words they count as "other" characters.
 */
final class O200kPieceScanner {
    private O200kPieceScanner() {}

    private static final int NONE = 0, UPPER_ONLY = 1, LOWER_ONLY = 2, BOTH = 3;

    /** Which of the two letter sets a code point belongs to. */
    private static int caseSet(int cp) {
        if (cp < 0x80) {
            if (cp >= 'a' && cp <= 'z') return LOWER_ONLY;
            if (cp >= 'A' && cp <= 'Z') return UPPER_ONLY;
            return NONE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.TITLECASE_LETTER -> UPPER_ONLY;
            case Character.LOWERCASE_LETTER -> LOWER_ONLY;
            case Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> BOTH;
            default -> NONE;
        };
    }

    private static boolean isUpper(int set) {
        return set == UPPER_ONLY || set == BOTH;
    }

    private static boolean isLower(int set) {
        return set == LOWER_ONLY || set == BOTH;
    }

    /** The end of the piece that starts at {@code start} (< end); the text is scanned only within [start, end). */
    static int pieceEnd(String text, int start, int end) {
        int c = text.codePointAt(start);
        int cls = PieceCharClass.of(c);
        int afterC = start + Character.charCount(c);
        boolean canLead = cls != PieceCharClass.LETTER && cls != PieceCharClass.NUMBER && c != '\r' && c != '\n';
        int e = -1;
        if (canLead) e = upperThenLower(text, afterC, end);
        if (e < 0) e = upperThenLower(text, start, end);
        if (e < 0 && canLead) e = upperRun(text, afterC, end);
        if (e < 0) e = upperRun(text, start, end);
        if (e >= 0) return contraction(text, e, end);
        if (cls == PieceCharClass.NUMBER) {
            int i = afterC;
            for (int k = 1; k < 3 && i < end; k++) {
                int q = text.codePointAt(i);
                if (PieceCharClass.of(q) != PieceCharClass.NUMBER) break;
                i += Character.charCount(q);
            }
            return i;
        }
        int nextCls = afterC < end ? PieceCharClass.of(text.codePointAt(afterC)) : -1;
        if (cls == PieceCharClass.OTHER || (c == ' ' && nextCls == PieceCharClass.OTHER)) {
            int i = afterC;
            while (i < end) {
                int q = text.codePointAt(i);
                if (PieceCharClass.of(q) != PieceCharClass.OTHER) break;
                i += Character.charCount(q);
            }
            while (i < end && (text.charAt(i) == '\r' || text.charAt(i) == '\n' || text.charAt(i) == '/')) i++;
            return i;
        }
        int i = start, lastStart = start, lastNewline = -1;
        while (i < end) {
            int q = text.codePointAt(i);
            if (PieceCharClass.of(q) != PieceCharClass.SPACE) break;
            if (q == '\r' || q == '\n') lastNewline = i;
            lastStart = i;
            i += Character.charCount(q);
        }
        if (lastNewline >= 0) return lastNewline + 1;
        if (i == end) return i;
        return lastStart > start ? lastStart : i;
    }

    /** Branch one from p: upper* then lower+ (the upper run gives back its last lower-capable letter if needed); -1 if none. */
    private static int upperThenLower(String text, int p, int end) {
        int i = p, lastLowerInRun = -1;
        while (i < end) {
            int q = text.codePointAt(i);
            int set = caseSet(q);
            if (!isUpper(set)) break;
            if (isLower(set)) lastLowerInRun = i;
            i += Character.charCount(q);
        }
        if (i < end && isLower(caseSet(text.codePointAt(i)))) {
            while (i < end) {
                int q = text.codePointAt(i);
                if (!isLower(caseSet(q))) break;
                i += Character.charCount(q);
            }
            return i;
        }
        return lastLowerInRun < 0 ? -1 : lastLowerInRun + Character.charCount(text.codePointAt(lastLowerInRun));
    }

    /** Branch two from p: upper+ then lower* (only reached when branch one failed, so lower* is empty); -1 if none. */
    private static int upperRun(String text, int p, int end) {
        int i = p;
        while (i < end) {
            int q = text.codePointAt(i);
            if (!isUpper(caseSet(q))) break;
            i += Character.charCount(q);
        }
        if (i == p) return -1;
        while (i < end) {
            int q = text.codePointAt(i);
            if (!isLower(caseSet(q))) break;
            i += Character.charCount(q);
        }
        return i;
    }

    private static int contraction(String text, int at, int end) {
        if (at + 1 >= end || text.charAt(at) != '\'') return at;
        int d = fold(text.charAt(at + 1));
        if (d == 's' || d == 't' || d == 'm' || d == 'd') return at + 2;
        if (at + 2 < end) {
            int e = fold(text.charAt(at + 2));
            if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return at + 3;
        }
        return at;
    }

    private static int fold(char ch) {
        return Character.toLowerCase(Character.toUpperCase(ch));
    }
}
