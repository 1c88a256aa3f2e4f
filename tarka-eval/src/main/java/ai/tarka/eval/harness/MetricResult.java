package ai.tarka.eval.harness;

/** One metric of one task: value, bootstrap standard error (NaN when not computed) and signature. */
public record MetricResult(String metric, double value, double stderr, String signature) {}
