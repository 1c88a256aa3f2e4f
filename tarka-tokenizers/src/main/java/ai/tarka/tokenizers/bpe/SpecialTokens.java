package ai.tarka.tokenizers.bpe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Special tokens (e.g. {@code <|endoftext|>}) and how to find them in raw text: the leftmost occurrence of any of
 * them, and where two start at the same place the longer wins.
 *
 * <p>Found by a scan for the characters special tokens start with, then a comparison with the tokens starting with
 * that character, longest first. A regex alternation of the quoted tokens finds the same matches but costs about as
 * much as the whole BPE encoding of the text once there are a few dozen tokens (Qwen's added tokens).
 */
public final class SpecialTokens {
    private final Map<String, Integer> ids;
    /** Whether some special token starts with this UTF-16 unit. */
    private final boolean[] startsWith = new boolean[65536];
    /** Per first UTF-16 unit: the tokens starting with it, longest first, and their ids. */
    private final Map<Character, String[]> byFirst = new HashMap<>();
    private final Map<Character, int[]> idsByFirst = new HashMap<>();

    public SpecialTokens(Map<String, Integer> ids) {
        this.ids = Map.copyOf(new LinkedHashMap<>(ids));
        List<String> longestFirst = new ArrayList<>(ids.keySet());
        longestFirst.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        Map<Character, List<String>> groups = new LinkedHashMap<>();
        for (String s : longestFirst) {
            if (s.isEmpty()) throw new IllegalArgumentException("special tokens: the empty string cannot be a special token");
            groups.computeIfAbsent(s.charAt(0), c -> new ArrayList<>()).add(s);
            startsWith[s.charAt(0)] = true;
        }
        for (Map.Entry<Character, List<String>> e : groups.entrySet()) {
            String[] toks = e.getValue().toArray(String[]::new);
            int[] tokIds = new int[toks.length];
            for (int i = 0; i < toks.length; i++) tokIds[i] = ids.get(toks[i]);
            byFirst.put(e.getKey(), toks);
            idsByFirst.put(e.getKey(), tokIds);
        }
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

    /**
     * The leftmost special token in {@code text[from, to)}: returns its start and sets {@code found[0]} to its id and
     * {@code found[1]} to its end; returns -1 when there is none.
     */
    public int find(String text, int from, int to, int[] found) {
        if (ids.isEmpty()) return -1;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!startsWith[c]) continue;
            String[] toks = byFirst.get(c);
            for (int k = 0; k < toks.length; k++) {
                String t = toks[k];
                if (i + t.length() <= to && text.startsWith(t, i)) {
                    found[0] = idsByFirst.get(c)[k];
                    found[1] = i + t.length();
                    return i;
                }
            }
        }
        return -1;
    }
}
