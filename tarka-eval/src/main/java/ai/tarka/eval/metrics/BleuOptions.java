package ai.tarka.eval.metrics;

/**
 * How BLEU is computed. {@link #corpusDefaults()} and {@link #sentenceDefaults()} are sacreBLEU's defaults for
 * {@code corpus_bleu} and {@code sentence_bleu}.
 *
 * @param smoothValue null for the method's default value
 */
public record BleuOptions(BleuTokenizer tokenizer, boolean lowercase, BleuSmoothing smoothing, Double smoothValue,
                          int maxNgramOrder, boolean effectiveOrder) {

    public BleuOptions {
        if (maxNgramOrder < 1 || maxNgramOrder > 9)
            throw new IllegalArgumentException("BLEU: max n-gram order " + maxNgramOrder + " is outside 1..9");
    }

    public static BleuOptions corpusDefaults() {
        return new BleuOptions(BleuTokenizer.T13A, false, BleuSmoothing.EXP, null, 4, false);
    }

    public static BleuOptions sentenceDefaults() {
        return corpusDefaults().withEffectiveOrder(true);
    }

    public BleuOptions withTokenizer(BleuTokenizer t) {
        return new BleuOptions(t, lowercase, smoothing, smoothValue, maxNgramOrder, effectiveOrder);
    }

    public BleuOptions withLowercase(boolean lc) {
        return new BleuOptions(tokenizer, lc, smoothing, smoothValue, maxNgramOrder, effectiveOrder);
    }

    public BleuOptions withSmoothing(BleuSmoothing s, Double value) {
        return new BleuOptions(tokenizer, lowercase, s, value, maxNgramOrder, effectiveOrder);
    }

    public BleuOptions withMaxNgramOrder(int n) {
        return new BleuOptions(tokenizer, lowercase, smoothing, smoothValue, n, effectiveOrder);
    }

    public BleuOptions withEffectiveOrder(boolean eff) {
        return new BleuOptions(tokenizer, lowercase, smoothing, smoothValue, maxNgramOrder, eff);
    }

    /** The value smoothing uses: the given one, else the method's default. */
    double effectiveSmoothValue() {
        if (smoothValue != null) return smoothValue;
        return smoothing.defaultValue() == null ? 0.0 : smoothing.defaultValue();
    }
}
