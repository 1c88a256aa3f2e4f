package ai.tarka.tokenizers.bpe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Special tokens (e.g. {@code <|endoftext|>}) and the pattern that finds them in raw text. Where two special tokens
 * start at the same place the longer wins.
 */
public final class SpecialTokens {
    private final Map<String, Integer> ids;
    private final Pattern finder;

    public SpecialTokens(Map<String, Integer> ids) {
        this.ids = Map.copyOf(new LinkedHashMap<>(ids));
        List<String> longestFirst = new ArrayList<>(ids.keySet());
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder alternation = new StringBuilder();
        for (String s : longestFirst) {
            if (s.isEmpty()) throw new IllegalArgumentException("special tokens: the empty string cannot be a special token");
            if (!alternation.isEmpty()) alternation.append('|');
            alternation.append(Pattern.quote(s));
        }
        this.finder = longestFirst.isEmpty() ? null : Pattern.compile(alternation.toString());
    }

    public static SpecialTokens none() {
        return new SpecialTokens(Map.of());
    }

    public Map<String, Integer> ids() {
        return ids;
    }

    public boolean isEmpty() {
        return ids.isEmpty();
    }

    /** A matcher finding the special tokens in {@code text} (longest first where two start together), or null when there are none. */
    public java.util.regex.Matcher matcher(CharSequence text) {
        return finder == null ? null : finder.matcher(text);
    }

    /** The pattern matching any special token, or null when there are none. */
    Pattern finder() {
        return finder;
    }
}
