package ai.tarka.tracking;

import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.RunInput;
import ai.tarka.tracking.store.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where a {@link Tracker} sends records: the embedded store or an MLflow server. */
interface TrackingBackend extends AutoCloseable {
    String experimentId(String name);

    String createRun(String experimentId, String runName, String parentRunId, long startTime, Map<String, String> tags);

    void log(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags);

    void finish(String runId, RunStatus status, long endTime, String error);

    void heartbeat(String runId);

    void logArtifact(String runId, Path path);

    void logInput(String runId, RunInput input);

    @Override
    void close();
}
