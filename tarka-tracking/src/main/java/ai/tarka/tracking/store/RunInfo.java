package ai.tarka.tracking.store;

/**
 * A run's attributes. {@code status} is the effective status: a RUNNING run whose heartbeat went stale is
 * reported as KILLED (its process died without finishing it). {@code heartbeat} is 0 for runs whose client
 * sends none (MLflow clients), which are never declared dead.
 */
public record RunInfo(String runId, String experimentId, String runName, RunStatus status, long startTime,
                      Long endTime, String parentRunId, String lifecycleStage, String artifactUri,
                      long heartbeat, String error) {
}
