package ai.tarka.tracking.store;

/** One metric observation: MLflow's (key, value, timestamp in ms, step). */
public record Metric(String key, double value, long timestamp, long step) {
}
