package ai.tarka.eval.metrics;

/** Precision, recall and F1 of one ROUGE variant for one pair, as rouge-score's {@code Score}. */
public record RougeScore(double precision, double recall, double fmeasure) {

    static final RougeScore ZERO = new RougeScore(0, 0, 0);

    static RougeScore of(double precision, double recall) {
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }
}
