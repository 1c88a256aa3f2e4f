package ai.tarka.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * chrF and chrF++ as sacreBLEU 2.x computes them by default: character n-grams of orders 1..{@code charOrder} with
 * whitespace removed, optional word n-grams of orders 1..{@code wordOrder} (words with a leading or trailing ASCII
 * punctuation mark split off), per order precision and recall averaged over the orders that have n-grams on both
 * sides, then the F-beta of the averages, on a 0–100 scale. With several references, each segment keeps the
 * statistics of its best-scoring reference.
 */
public final class Chrf {
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final int charOrder;
    private final int wordOrder;
    private final double beta;
    private final boolean lowercase;
    private final boolean whitespace;

    public Chrf(int charOrder, int wordOrder, double beta, boolean lowercase, boolean whitespace) {
        if (charOrder < 1 || wordOrder < 0 || beta <= 0)
            throw new IllegalArgumentException("chrF: char order " + charOrder + ", word order " + wordOrder + ", beta " + beta
                    + " (need char order >= 1, word order >= 0, beta > 0)");
        this.charOrder = charOrder;
        this.wordOrder = wordOrder;
        this.beta = beta;
        this.lowercase = lowercase;
        this.whitespace = whitespace;
    }

    /** sacreBLEU's {@code CHRF()}: char order 6, word order 0, beta 2. */
    public static Chrf chrf() {
        return new Chrf(6, 0, 2, false, false);
    }

    /** chrF++: {@code CHRF(word_order=2)}. */
    public static Chrf chrfPlusPlus() {
        return new Chrf(6, 2, 2, false, false);
    }

    public String name() {
        return wordOrder > 0 ? "chrf++" : "chrf";
    }

    /** Corpus chrF; {@code refStreams} in sacreBLEU's layout (see {@link Bleu#corpus}). */
    public MetricScore corpus(List<String> hyps, List<List<String>> refStreams) {
        double[] sum = new double[3 * (charOrder + wordOrder)];
        boolean variable = false;
        for (int i = 0; i < hyps.size(); i++) {
            List<String> refs = new ArrayList<>();
            for (List<String> stream : refStreams) {
                if (stream.size() != hyps.size())
                    throw new IllegalArgumentException("chrF corpus: a reference stream has " + stream.size()
                            + " segments but there are " + hyps.size() + " hypotheses");
                if (stream.get(i) != null) refs.add(stream.get(i));
            }
            if (refs.size() != refStreams.size()) variable = true;
            double[] s = segmentStats(hyps.get(i), refs);
            for (int k = 0; k < sum.length; k++) sum[k] += s[k];
        }
        return new MetricScore(name(), fScore(sum), signature(variable ? -1 : refStreams.size()));
    }

    public MetricScore sentence(String hyp, List<String> refs) {
        return new MetricScore(name(), fScore(segmentStats(hyp, refs)), signature(refs.size()));
    }

    /** {@code nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1}. */
    public String signature(int nrefs) {
        return "nrefs:" + Signatures.nrefs(nrefs) + "|case:" + (lowercase ? "lc" : "mixed") + "|eff:yes|nc:" + charOrder
                + "|nw:" + wordOrder + "|space:" + (whitespace ? "yes" : "no") + "|version:" + Signatures.SACREBLEU_VERSION;
    }

    /** Per order (chars then words): hypothesis n-grams, reference n-grams, matches. */
    double[] segmentStats(String hyp, List<String> refs) {
        List<Map<String, Integer>> hypNgrams = allNgrams(prepare(hyp));
        double[] best = null;
        double bestF = -1;
        for (String ref : refs) {
            List<Map<String, Integer>> refNgrams = allNgrams(prepare(ref));
            double[] stats = new double[3 * hypNgrams.size()];
            for (int o = 0; o < hypNgrams.size(); o++) {
                Map<String, Integer> h = hypNgrams.get(o);
                Map<String, Integer> r = refNgrams.get(o);
                double hypCount = 0, refCount = 0, match = 0;
                for (var e : h.entrySet()) {
                    hypCount += e.getValue();
                    Integer rc = r.get(e.getKey());
                    if (rc != null) match += Math.min(e.getValue(), rc);
                }
                for (int c : r.values()) refCount += c;
                stats[3 * o] = hypCount;
                stats[3 * o + 1] = refCount;
                stats[3 * o + 2] = match;
            }
            double f = fScore(stats);
            if (f > bestF) {
                bestF = f;
                best = stats;
            }
        }
        if (best == null) throw new IllegalArgumentException("chrF: a segment has no reference");
        return best;
    }

    double fScore(double[] stats) {
        double factor = beta * beta;
        double avgPrec = 0, avgRec = 0;
        int effectiveOrder = 0;
        for (int o = 0; o < charOrder + wordOrder; o++) {
            double nHyp = stats[3 * o], nRef = stats[3 * o + 1], nMatch = stats[3 * o + 2];
            avgPrec += nHyp > 0 ? nMatch / nHyp : 0.0;
            avgRec += nRef > 0 ? nMatch / nRef : 0.0;
            if (nHyp > 0 && nRef > 0) effectiveOrder++;
        }
        if (effectiveOrder == 0) return 0.0;
        avgPrec /= effectiveOrder;
        avgRec /= effectiveOrder;
        if (avgPrec + avgRec == 0) return 0.0;
        return 100 * (1 + factor) * avgPrec * avgRec / (factor * avgPrec + avgRec);
    }

    private String prepare(String s) {
        return lowercase ? s.toLowerCase(Locale.ROOT) : s;
    }

    private List<Map<String, Integer>> allNgrams(String s) {
        List<Map<String, Integer>> out = new ArrayList<>();
        String chars = whitespace ? s : String.join("", Words.split(s));
        int[] cps = chars.codePoints().toArray();
        for (int n = 1; n <= charOrder; n++) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i + n <= cps.length; i++) m.merge(new String(cps, i, n), 1, Integer::sum);
            out.add(m);
        }
        if (wordOrder > 0) {
            List<String> words = splitPunctuation(s);
            for (int n = 1; n <= wordOrder; n++) {
                Map<String, Integer> m = new HashMap<>();
                for (int i = 0; i + n <= words.size(); i++) m.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
                out.add(m);
            }
        }
        return out;
    }

    /** A word longer than one character loses a trailing, else a leading, punctuation mark as its own word. */
    private static List<String> splitPunctuation(String s) {
        List<String> out = new ArrayList<>();
        for (String w : Words.split(s)) {
            if (w.length() == 1) {
                out.add(w);
            } else if (PUNCTUATION.indexOf(w.charAt(w.length() - 1)) >= 0) {
                out.add(w.substring(0, w.length() - 1));
                out.add(w.substring(w.length() - 1));
            } else if (PUNCTUATION.indexOf(w.charAt(0)) >= 0) {
                out.add(w.substring(0, 1));
                out.add(w.substring(1));
            } else {
                out.add(w);
            }
        }
        return out;
    }
}
