package ai.tarka.tokenizers.bpe;

import java.util.Random;

/** Seeded random strings mixing ASCII, whitespace runs, Latin accents, combining marks, CJK, emoji and specials. */
public final class RandomText {
    private RandomText() {}

    private static final int[][] RANGES = {
            {0x20, 0x7E}, {0x20, 0x7E}, {0x20, 0x7E}, // ASCII, most common
            {0x09, 0x0D},                             // tab, newlines, CR
            {0xA0, 0xFF},                             // Latin-1 incl. NBSP
            {0x300, 0x36F},                           // combining marks
            {0x391, 0x3C9}, {0x410, 0x44F},           // Greek, Cyrillic
            {0x2000, 0x200B}, {0x3000, 0x3000},       // Unicode spaces
            {0x4E00, 0x9FFF}, {0x3040, 0x30FF},       // CJK, kana
            {0xAC00, 0xD7A3},                         // Hangul
            {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF},   // emoji
            {0x10000, 0x1FFFF}, {0x20000, 0x2A6DF},   // other supplementary planes
            {0x0660, 0x0669}, {0x0030, 0x0039},       // digits
    };

    public static String next(Random r, int maxCodePoints) {
        int n = r.nextInt(maxCodePoints + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(RANGES.length + 2);
            if (pick == RANGES.length) {
                sb.append(r.nextBoolean() ? "'s" : "'LL");
            } else if (pick == RANGES.length + 1) {
                sb.append(" ".repeat(1 + r.nextInt(4)));
            } else {
                int[] range = RANGES[pick];
                int cp = range[0] + r.nextInt(range[1] - range[0] + 1);
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }
}
