package ai.tarka.eval.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A word-level vocabulary for classification: lowercase words of letters, digits and apostrophes, and each
 * punctuation mark as its own word; id 0 pads, id 1 is any word seen fewer than {@code minCount} times in training.
 */
public final class WordVocabulary {
    public static final int PAD = 0, UNKNOWN = 1;
    private final Map<String, Integer> ids;

    private WordVocabulary(Map<String, Integer> ids) {
        this.ids = ids;
    }

    public static WordVocabulary build(List<String> texts, int minCount) {
        TreeMap<String, Integer> counts = new TreeMap<>();   // sorted: ids do not depend on hash order
        for (String t : texts) for (String w : words(t)) counts.merge(w, 1, Integer::sum);
        Map<String, Integer> ids = new HashMap<>();
        for (var e : counts.entrySet()) if (e.getValue() >= minCount) ids.put(e.getKey(), ids.size() + 2);
        return new WordVocabulary(ids);
    }

    public int size() {
        return ids.size() + 2;
    }

    /** Ids of the first {@code maxLen} words (at least one: an empty text becomes {@code [UNKNOWN]}). */
    public int[] encode(String text, int maxLen) {
        List<String> ws = words(text);
        int n = Math.max(1, Math.min(maxLen, ws.size()));
        int[] out = new int[n];
        out[0] = UNKNOWN;
        for (int i = 0; i < Math.min(n, ws.size()); i++) out[i] = ids.getOrDefault(ws.get(i), UNKNOWN);
        return out;
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        String s = text.toLowerCase(Locale.ROOT);
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '\'') {
                cur.append(c);
                continue;
            }
            if (!cur.isEmpty()) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            if (!Character.isWhitespace(c)) out.add(String.valueOf(c));
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }
}
