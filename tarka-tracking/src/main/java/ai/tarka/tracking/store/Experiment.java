package ai.tarka.tracking.store;

import java.util.Map;

/** An experiment: a named group of runs with an artifact root. */
public record Experiment(String id, String name, String artifactLocation, String lifecycleStage,
                         long creationTime, long lastUpdateTime, Map<String, String> tags) {
}
