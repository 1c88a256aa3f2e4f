package ai.tarka.eval.metrics;

/** A BLEU score on sacreBLEU's 0–100 scale with its parts and signature. */
public record BleuScore(double score, double[] precisions, double brevityPenalty, BleuStats stats, String signature) {

    public MetricScore asMetric() {
        return new MetricScore("bleu", score, signature);
    }
}
