package ai.tarka.eval.harness;

/**
 * One metric of one task: value, bootstrap standard error and 95% percentile interval (NaN when not computed), and
 * the signature saying how it was computed.
 */
public record MetricResult(String metric, double value, double stderr, double ciLow, double ciHigh, String signature) {

    /** A result without a bootstrap interval. */
    public MetricResult(String metric, double value, double stderr, String signature) {
        this(metric, value, stderr, Double.NaN, Double.NaN, signature);
    }
}
