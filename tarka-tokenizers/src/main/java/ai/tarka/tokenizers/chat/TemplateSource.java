package ai.tarka.tokenizers.chat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the few pieces of Jinja2 syntax Jinjava's expression parser lacks, inside {@code {{ }}} and
 * {@code {% %}} only (literal text and quoted strings are left alone): a slice with a step, {@code x[a:b:c]}
 * (as in {@code messages[::-1]}), becomes the filter {@code x|py_slice(a, b, c)}, which binds to the same
 * postfix expression as the subscript did. Keyword arguments of calls get parentheses around their value,
 * {@code namespace(n=messages|length - 1)} becomes {@code namespace(n=(messages|length - 1))}: Jinjava otherwise
 * binds the {@code - 1} to the named parameter instead of to its value.
 */
final class TemplateSource {
    private TemplateSource() {}

    private static final Pattern STEP_SLICE =
            Pattern.compile("\\[\\s*([^\\[\\]:'\"]*?)\\s*:\\s*([^\\[\\]:'\"]*?)\\s*:\\s*([^\\[\\]:'\"]*?)\\s*\\]");
    private static final Pattern TAG = Pattern.compile("\\{\\{.*?\\}\\}|\\{%.*?%\\}", Pattern.DOTALL);

    static String rewrite(String source) {
        Matcher tag = TAG.matcher(source);
        StringBuilder out = new StringBuilder(source.length());
        int last = 0;
        while (tag.find()) {
            out.append(source, last, tag.start());
            out.append(rewriteCode(tag.group()));
            last = tag.end();
        }
        out.append(source, last, source.length());
        return out.toString();
    }

    /** Rewrites outside quoted strings of one tag. */
    private static String rewriteCode(String code) {
        StringBuilder out = new StringBuilder(code.length());
        StringBuilder plain = new StringBuilder();
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                out.append(rewriteSlices(plain.toString()));
                plain.setLength(0);
                int j = i + 1;
                while (j < code.length() && code.charAt(j) != c) j += code.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(j + 1, code.length());
                out.append(code, i, j);
                i = j;
            } else {
                plain.append(c);
                i++;
            }
        }
        out.append(rewriteSlices(plain.toString()));
        return parenthesiseKeywordArguments(out.toString());
    }

    /** Wraps each {@code name=value} inside parentheses as {@code name=(value)}; quoted strings are skipped. */
    static String parenthesiseKeywordArguments(String code) {
        StringBuilder out = new StringBuilder(code.length() + 8);
        int depth = 0;
        int n = code.length();
        for (int i = 0; i < n; i++) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int j = skipString(code, i);
                out.append(code, i, j);
                i = j - 1;
                continue;
            }
            if (c == '(') depth++;
            if (c == ')') depth--;
            out.append(c);
            boolean keywordEquals = c == '=' && depth > 0 && i + 1 < n && code.charAt(i + 1) != '='
                    && i > 0 && "=!<>".indexOf(code.charAt(i - 1)) < 0 && precededByName(code, i);
            if (!keywordEquals) continue;
            int end = valueEnd(code, i + 1);
            out.append('(').append(code, i + 1, end).append(')');
            i = end - 1;
        }
        return out.toString();
    }

    private static boolean precededByName(String code, int eq) {
        int k = eq - 1;
        while (k >= 0 && code.charAt(k) == ' ') k--;
        return k >= 0 && (Character.isLetterOrDigit(code.charAt(k)) || code.charAt(k) == '_');
    }

    /** The index just after a keyword argument's value: the next ',' or ')' at the same nesting. */
    private static int valueEnd(String code, int from) {
        int depth = 0;
        for (int j = from; j < code.length(); j++) {
            char c = code.charAt(j);
            if (c == '\'' || c == '"') { j = skipString(code, j) - 1; continue; }
            if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') { if (depth == 0) return j; depth--; }
            else if (c == ',' && depth == 0) return j;
        }
        return code.length();
    }

    private static int skipString(String code, int open) {
        char q = code.charAt(open);
        int j = open + 1;
        while (j < code.length() && code.charAt(j) != q) j += code.charAt(j) == '\\' ? 2 : 1;
        return Math.min(j + 1, code.length());
    }

    private static String rewriteSlices(String code) {
        Matcher m = STEP_SLICE.matcher(code);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String repl = "|py_slice(" + orNone(m.group(1)) + ", " + orNone(m.group(2)) + ", " + orNone(m.group(3)) + ")";
            m.appendReplacement(out, Matcher.quoteReplacement(repl));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String orNone(String s) { return s.isBlank() ? "none" : s; }
}
