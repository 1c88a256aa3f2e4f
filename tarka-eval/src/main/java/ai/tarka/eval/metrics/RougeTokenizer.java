package ai.tarka.eval.metrics;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tokenizers for {@link Rouge}. {@link #DEFAULT} is rouge-score's: lowercase, every run of characters outside
 * {@code [a-z0-9]} becomes a space (so non-ASCII text vanishes), split, and with stemming the Porter stemmer on
 * tokens longer than three characters. {@link #UNICODE} (opt-in) keeps letters and digits of every script: NFKC,
 * lowercase, split on anything that is not a letter, mark or digit; stemming still applies only to ASCII words.
 */
public enum RougeTokenizer {
    DEFAULT("default"),
    UNICODE("unicode");

    private final String signature;

    RougeTokenizer(String signature) {
        this.signature = signature;
    }

    public String signature() {
        return signature;
    }

    public List<String> tokenize(String text, PorterStemmer stemmer) {
        List<String> tokens = this == DEFAULT ? asciiTokens(text) : unicodeTokens(text);
        if (stemmer == null) return tokens;
        List<String> out = new ArrayList<>(tokens.size());
        for (String t : tokens) out.add(t.length() > 3 && isAsciiWord(t) ? stemmer.stem(t) : t);
        // a stem is always non-empty [a-z0-9]+ when its word was, so no token is dropped here
        return out;
    }

    private static List<String> asciiTokens(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                cur.append(c);
            } else if (!cur.isEmpty()) {
                out.add(cur.toString());
                cur.setLength(0);
            }
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    private static List<String> unicodeTokens(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean keep = Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
            if (keep) {
                cur.appendCodePoint(cp);
            } else if (!cur.isEmpty()) {
                out.add(cur.toString());
                cur.setLength(0);
            }
        });
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    private static boolean isAsciiWord(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
        }
        return true;
    }
}
