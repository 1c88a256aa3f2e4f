package ai.tarka.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BLEU exactly as sacreBLEU 2.x computes it: tokenize (13a by default), count word n-grams up to the max order,
 * clip hypothesis counts by the maximum count in any reference, take the reference length closest to the hypothesis
 * (shorter wins a tie) for the brevity penalty, smooth, and combine the log precisions geometrically.
 */
public final class Bleu {
    private final BleuOptions options;

    public Bleu(BleuOptions options) {
        this.options = options;
    }

    public BleuOptions options() {
        return options;
    }

    /**
     * Corpus BLEU.
     *
     * @param refStreams reference streams in sacreBLEU's layout: {@code refStreams.get(k).get(i)} is the k-th
     *                   reference of segment i (a null or missing entry means segment i has fewer references)
     */
    public BleuScore corpus(List<String> hyps, List<List<String>> refStreams) {
        for (int k = 0; k < refStreams.size(); k++) {
            if (refStreams.get(k).size() != hyps.size())
                throw new IllegalArgumentException("BLEU corpus: reference stream " + k + " has " + refStreams.get(k).size()
                        + " segments but there are " + hyps.size() + " hypotheses");
        }
        BleuStats sum = BleuStats.zero(options.maxNgramOrder());
        boolean variable = false;
        for (int i = 0; i < hyps.size(); i++) {
            List<String> refs = new ArrayList<>();
            for (List<String> stream : refStreams) {
                String r = stream.get(i);
                if (r != null) refs.add(r);
            }
            if (refs.size() != refStreams.size()) variable = true;
            sum = sum.plus(segmentStats(hyps.get(i), refs));
        }
        return fromStats(sum, variable ? -1 : refStreams.size());
    }

    /** Sentence BLEU of one hypothesis against its references (use {@link BleuOptions#sentenceDefaults()}). */
    public BleuScore sentence(String hyp, List<String> refs) {
        return fromStats(segmentStats(hyp, refs), refs.size());
    }

    /** The sufficient statistics of one segment. */
    public BleuStats segmentStats(String hyp, List<String> refs) {
        if (refs.isEmpty()) throw new IllegalArgumentException("BLEU: a segment has no reference");
        int order = options.maxNgramOrder();
        List<String> hypTokens = tokens(hyp);
        Map<String, Integer> hypNgrams = ngrams(hypTokens, order);
        Map<String, Integer> refMax = new HashMap<>();
        int hypLen = hypTokens.size();
        int closestLen = -1;
        int closestDiff = Integer.MAX_VALUE;
        for (String ref : refs) {
            List<String> refTokens = tokens(ref);
            int len = refTokens.size();
            int diff = Math.abs(hypLen - len);
            if (diff < closestDiff || (diff == closestDiff && len < closestLen)) {
                closestDiff = diff;
                closestLen = len;
            }
            for (var e : ngrams(refTokens, order).entrySet()) refMax.merge(e.getKey(), e.getValue(), Math::max);
        }
        double[] correct = new double[order];
        double[] total = new double[order];
        for (var e : hypNgrams.entrySet()) {
            int n = ngramOrder(e.getKey()) - 1;
            total[n] += e.getValue();
            Integer r = refMax.get(e.getKey());
            if (r != null) correct[n] += Math.min(e.getValue(), r);
        }
        return new BleuStats(hypLen, closestLen, correct, total);
    }

    /** BLEU from statistics, as sacreBLEU's {@code compute_bleu}; {@code nrefs} only feeds the signature. */
    public BleuScore fromStats(BleuStats stats, int nrefs) {
        int order = options.maxNgramOrder();
        double[] correct = stats.correct();
        double[] total = stats.total();
        double sysLen = stats.sysLen();
        double refLen = stats.refLen();
        double bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0) : 1.0;
        double[] precisions = new double[order];
        String signature = signature(nrefs);
        boolean anyMatch = false;
        for (double c : correct) anyMatch |= c != 0;
        if (!anyMatch) return new BleuScore(0.0, precisions, bp, stats, signature);

        double smoothValue = options.effectiveSmoothValue();
        double mtevalFactor = 1.0;
        int effOrder = order;
        for (int n = 1; n <= order; n++) {
            if (options.smoothing() == BleuSmoothing.ADD_K && n > 1) {
                correct[n - 1] += smoothValue;
                total[n - 1] += smoothValue;
            }
            if (total[n - 1] == 0) break;
            // effective order: a short segment is scored on the orders it has n-grams for, not zeroed
            if (options.effectiveOrder()) effOrder = n;
            if (correct[n - 1] == 0) {
                if (options.smoothing() == BleuSmoothing.EXP) {
                    mtevalFactor *= 2;
                    precisions[n - 1] = 100.0 / (mtevalFactor * total[n - 1]);
                } else if (options.smoothing() == BleuSmoothing.FLOOR) {
                    precisions[n - 1] = 100.0 * smoothValue / total[n - 1];
                }
            } else {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
            }
        }
        double logSum = 0;
        for (int i = 0; i < effOrder; i++) logSum += precisions[i] == 0 ? -9999999999.0 : Math.log(precisions[i]);
        double score = bp * Math.exp(logSum / effOrder);
        return new BleuScore(score, precisions, bp, stats, signature);
    }

    /** {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1}; {@code nrefs < 0} writes {@code var}. */
    public String signature(int nrefs) {
        String smooth = options.smoothing().signature();
        if (options.smoothing().defaultValue() != null) {
            smooth += "[" + Signatures.twoDecimals(options.effectiveSmoothValue()) + "]";
        }
        String sig = "nrefs:" + Signatures.nrefs(nrefs) + "|case:" + (options.lowercase() ? "lc" : "mixed")
                + "|eff:" + (options.effectiveOrder() ? "yes" : "no") + "|tok:" + options.tokenizer().signature()
                + "|smooth:" + smooth;
        if (options.maxNgramOrder() != 4) sig += "|ngram:" + options.maxNgramOrder();
        return sig + "|version:" + Signatures.SACREBLEU_VERSION;
    }

    private List<String> tokens(String line) {
        String s = options.lowercase() ? line.toLowerCase(Locale.ROOT) : line;
        return Words.split(options.tokenizer().tokenize(s.stripTrailing()));
    }

    /** All n-grams of orders 1..max keyed by their words joined with single spaces (tokens hold no spaces). */
    static Map<String, Integer> ngrams(List<String> tokens, int maxOrder) {
        Map<String, Integer> counts = new HashMap<>();
        for (int n = 1; n <= maxOrder; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int ngramOrder(String key) {
        int n = 1;
        for (int i = 0; i < key.length(); i++) if (key.charAt(i) == ' ') n++;
        return n;
    }
}
