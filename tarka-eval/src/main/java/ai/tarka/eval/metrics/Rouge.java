package ai.tarka.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * ROUGE as Google's rouge-score computes it: {@code rouge1}..{@code rouge9} (clipped n-gram overlap),
 * {@code rougeL} (LCS of the token sequences) and {@code rougeLsum} (texts split into sentences on newlines,
 * summary-level union LCS with each token counted at most as often as it occurs on both sides).
 */
public final class Rouge {
    private final boolean useStemmer;
    private final RougeTokenizer tokenizer;
    private final PorterStemmer stemmer;

    public Rouge(boolean useStemmer, RougeTokenizer tokenizer) {
        this.useStemmer = useStemmer;
        this.tokenizer = tokenizer;
        this.stemmer = useStemmer ? new PorterStemmer() : null;
    }

    /** rouge-score's default scorer (its tokenizer, no stemming). */
    public Rouge() {
        this(false, RougeTokenizer.DEFAULT);
    }

    /** Score of {@code type} ({@code rouge1}, {@code rouge2}, ..., {@code rougeL}, {@code rougeLsum}). */
    public RougeScore score(String type, String target, String prediction) {
        return switch (type) {
            case "rougeL" -> lcsScore(tokens(target), tokens(prediction));
            case "rougeLsum" -> summaryLcsScore(sentences(target), sentences(prediction));
            default -> {
                if (!type.matches("rouge[1-9]"))
                    throw new IllegalArgumentException("ROUGE: unknown type '" + type + "' (rouge1..rouge9, rougeL, rougeLsum)");
                yield ngramScore(tokens(target), tokens(prediction), type.charAt(5) - '0');
            }
        };
    }

    /** {@code type:rougeL|stem:yes|tok:default|version:0.1.2}. */
    public String signature(String type) {
        return "type:" + type + "|stem:" + (useStemmer ? "yes" : "no") + "|tok:" + tokenizer.signature()
                + "|version:" + Signatures.ROUGE_SCORE_VERSION;
    }

    public List<String> tokens(String text) {
        return tokenizer.tokenize(text, stemmer);
    }

    private List<List<String>> sentences(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) if (!line.isEmpty()) out.add(tokens(line));
        return out;
    }

    static RougeScore ngramScore(List<String> target, List<String> prediction, int n) {
        Map<String, Integer> t = ngrams(target, n);
        Map<String, Integer> p = ngrams(prediction, n);
        int tCount = 0, pCount = 0, overlap = 0;
        for (int c : t.values()) tCount += c;
        for (int c : p.values()) pCount += c;
        for (var e : t.entrySet()) {
            Integer pc = p.get(e.getKey());
            if (pc != null) overlap += Math.min(e.getValue(), pc);
        }
        return RougeScore.of((double) overlap / Math.max(pCount, 1), (double) overlap / Math.max(tCount, 1));
    }

    private static Map<String, Integer> ngrams(List<String> tokens, int n) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) m.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
        return m;
    }

    static RougeScore lcsScore(List<String> target, List<String> prediction) {
        if (target.isEmpty() || prediction.isEmpty()) return RougeScore.ZERO;
        int lcs = lcsTable(target, prediction)[target.size()][prediction.size()];
        return RougeScore.of((double) lcs / prediction.size(), (double) lcs / target.size());
    }

    static int[][] lcsTable(List<String> ref, List<String> can) {
        int[][] t = new int[ref.size() + 1][can.size() + 1];
        for (int i = 1; i <= ref.size(); i++) {
            for (int j = 1; j <= can.size(); j++) {
                t[i][j] = ref.get(i - 1).equals(can.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t;
    }

    /** Indices into {@code ref} of one LCS, chosen by rouge-score's backtracking (prefer moving in {@code can}). */
    static List<Integer> lcsIndices(List<String> ref, List<String> can) {
        int[][] t = lcsTable(ref, can);
        List<Integer> out = new ArrayList<>();
        int i = ref.size(), j = can.size();
        while (i > 0 && j > 0) {
            if (ref.get(i - 1).equals(can.get(j - 1))) {
                out.addFirst(i - 1);
                i--;
                j--;
            } else if (t[i][j - 1] > t[i - 1][j]) {
                j--;
            } else {
                i--;
            }
        }
        return out;
    }

    static RougeScore summaryLcsScore(List<List<String>> refSents, List<List<String>> canSents) {
        if (refSents.isEmpty() || canSents.isEmpty()) return RougeScore.ZERO;
        int m = 0, n = 0;
        Map<String, Integer> refCounts = new HashMap<>();
        Map<String, Integer> canCounts = new HashMap<>();
        for (List<String> s : refSents) {
            m += s.size();
            for (String tok : s) refCounts.merge(tok, 1, Integer::sum);
        }
        for (List<String> s : canSents) {
            n += s.size();
            for (String tok : s) canCounts.merge(tok, 1, Integer::sum);
        }
        if (m == 0 || n == 0) return RougeScore.ZERO;
        int hits = 0;
        for (List<String> r : refSents) {
            TreeSet<Integer> union = new TreeSet<>();
            for (List<String> c : canSents) union.addAll(lcsIndices(r, c));
            for (int idx : union) {
                String tok = r.get(idx);
                if (canCounts.getOrDefault(tok, 0) > 0 && refCounts.getOrDefault(tok, 0) > 0) {
                    hits++;
                    canCounts.merge(tok, -1, Integer::sum);
                    refCounts.merge(tok, -1, Integer::sum);
                }
            }
        }
        return RougeScore.of((double) hits / n, (double) hits / m);
    }
}
