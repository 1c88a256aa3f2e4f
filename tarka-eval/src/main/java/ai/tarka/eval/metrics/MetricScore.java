package ai.tarka.eval.metrics;

/**
 * One stored score: the metric's name, its value, and the signature that says exactly how it was computed
 * (sacreBLEU-style {@code key:value|key:value}).
 */
public record MetricScore(String metric, double value, String signature) {}
