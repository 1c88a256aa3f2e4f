package ai.tarka.eval.metrics;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The tokenizers sacreBLEU applies before counting n-grams: each returns the text with tokens separated by single
 * spaces. {@link #signature()} is the name sacreBLEU writes into its signature ({@code tok:13a}).
 */
public enum BleuTokenizer {
    /** No tokenization: n-grams are the whitespace-separated words. */
    NONE("none"),
    /** mteval-v13a: the default of sacreBLEU and WMT. */
    T13A("13a"),
    /** mteval-v14 international tokenization: splits Unicode punctuation and symbols. */
    INTL("intl"),
    /** Every character is a token (whitespace dropped). */
    CHAR("char");

    private final String signature;

    BleuTokenizer(String signature) {
        this.signature = signature;
    }

    public String signature() {
        return signature;
    }

    /** The tokenizer whose signature name is {@code name}. */
    public static BleuTokenizer named(String name) {
        for (BleuTokenizer t : values()) if (t.signature.equals(name.toLowerCase(Locale.ROOT))) return t;
        throw new IllegalArgumentException("BLEU: unknown tokenizer '" + name + "' (none, 13a, intl, char)");
    }

    public String tokenize(String line) {
        return switch (this) {
            case NONE -> line;
            case T13A -> Mteval.tokenize13a(line);
            case INTL -> Mteval.tokenizeIntl(line);
            case CHAR -> Mteval.tokenizeChars(line);
        };
    }

    /** The regular expressions of the mteval scripts, as sacreBLEU applies them. */
    static final class Mteval {
        private Mteval() {}

        // ASCII symbols and punctuation other than period, comma and hyphen-between-digits become their own token
        private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@/])");
        private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
        private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
        private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

        private static final Pattern INTL_PUNCT_AFTER_NON_NUMBER = Pattern.compile("(\\P{N})(\\p{P})");
        private static final Pattern INTL_PUNCT_BEFORE_NON_NUMBER = Pattern.compile("(\\p{P})(\\P{N})");
        private static final Pattern INTL_SYMBOL = Pattern.compile("(\\p{S})");

        static String tokenize13a(String line) {
            line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
            if (line.indexOf('&') >= 0) {
                line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
            }
            line = " " + line + " ";
            line = SYMBOLS.matcher(line).replaceAll(" $1 ");
            line = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(line).replaceAll("$1 $2 ");
            line = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(line).replaceAll(" $1 $2");
            line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
            return squeeze(line);
        }

        static String tokenizeIntl(String line) {
            line = INTL_PUNCT_AFTER_NON_NUMBER.matcher(line).replaceAll("$1 $2 ");
            line = INTL_PUNCT_BEFORE_NON_NUMBER.matcher(line).replaceAll(" $1 $2");
            line = INTL_SYMBOL.matcher(line).replaceAll(" $1 ");
            return squeeze(line);
        }

        static String tokenizeChars(String line) {
            StringBuilder sb = new StringBuilder(line.length() * 2);
            line.codePoints().forEach(cp -> {
                if (!Character.isWhitespace(cp)) {
                    if (!sb.isEmpty()) sb.append(' ');
                    sb.appendCodePoint(cp);
                }
            });
            return sb.toString();
        }

        /** Python's {@code ' '.join(s.split())}. */
        static String squeeze(String s) {
            return String.join(" ", Words.split(s));
        }
    }
}
