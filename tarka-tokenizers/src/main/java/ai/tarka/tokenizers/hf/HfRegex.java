package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a Hugging Face {@code Split} pattern (written for Oniguruma / Rust {@code regex}) as a Java pattern with
 * Unicode character classes. The constructs whose Java meaning differs are rewritten:
 * <ul>
 *   <li>{@code \p{Han}}-style script names (Java wants {@code \p{IsHan}}); {@code \p{^X}} negation becomes {@code \P{X}};</li>
 *   <li>{@code \h} / {@code \H}: a hexadecimal digit in Oniguruma, horizontal whitespace in Java.</li>
 * </ul>
 * Everything else (lookahead, {@code (?i:...)}, {@code \p{L}}, {@code \s}, counted repeats) means the same in both.
 * Patterns that need no rewriting keep their exact text, so the GPT-2/cl100k/o200k ones still reach the fast scanners.
 */
public final class HfRegex {
    private HfRegex() {}

    public static Pattern compile(String regex) {
        return PreTokenizerPatterns.compile(translate(regex));
    }

    static String translate(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 8);
        int classDepth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c != '\\' || i + 1 == regex.length()) {
                if (c == '[') classDepth++;
                else if (c == ']' && classDepth > 0) classDepth--;
                out.append(c);
                continue;
            }
            char next = regex.charAt(i + 1);
            if ((next == 'p' || next == 'P') && i + 2 < regex.length() && regex.charAt(i + 2) == '{') {
                int close = regex.indexOf('}', i + 3);
                if (close < 0) throw new PatternSyntaxException("unclosed property name", regex, i);
                String name = regex.substring(i + 3, close);
                boolean negated = next == 'P';
                if (name.startsWith("^")) {
                    negated = !negated;
                    name = name.substring(1);
                }
                out.append('\\').append(negated ? 'P' : 'p').append('{').append(javaPropertyName(name)).append('}');
                i = close;
            } else if (next == 'h' || next == 'H') {
                String hex = "0-9a-fA-F";
                out.append(classDepth > 0 && next == 'h' ? hex : next == 'h' ? "[" + hex + "]" : "[^" + hex + "]");
                i++;
            } else {
                out.append(c).append(next);
                i++;
            }
        }
        return out.toString();
    }

    /** The name Java accepts for a property: as written when Java knows it, else as a script ({@code Is} prefix). */
    private static String javaPropertyName(String name) {
        try {
            Pattern.compile("\\p{" + name + "}");
            return name;
        } catch (PatternSyntaxException notJava) {
            return "Is" + name;
        }
    }
}
