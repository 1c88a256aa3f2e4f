package ai.tarka.eval.metrics;

import java.util.Locale;

/** The sacreBLEU-style signature strings of Tarka's metrics. */
public final class Signatures {
    private Signatures() {}

    /**
     * The sacreBLEU version the BLEU and chrF signatures name. The conformance vectors (sacreBLEU commit f615c72,
     * January 2026) carry no version string; 2.5.1 is the release those algorithms and defaults belong to.
     */
    public static final String SACREBLEU_VERSION = "2.5.1";

    /** The rouge-score version whose tokenizer, stemmer and LCS {@link Rouge} reproduces. */
    public static final String ROUGE_SCORE_VERSION = "0.1.2";

    static String nrefs(int nrefs) {
        return nrefs < 0 ? "var" : Integer.toString(nrefs);
    }

    static String twoDecimals(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
