package ai.tarka.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/** Python's {@code str.split()} with no argument: runs of whitespace separate words, no empty words. */
final class Words {
    private Words() {}

    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) i++;
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    /** The characters Python's {@code str.isspace()} accepts in the BMP. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085' || (c >= '\u001c' && c <= '\u001f');
    }
}
