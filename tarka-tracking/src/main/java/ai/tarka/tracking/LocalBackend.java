package ai.tarka.tracking;

import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.RunInput;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records runs in the embedded SQLite store. */
final class LocalBackend implements TrackingBackend {
    private final TrackingStore store;
    private final boolean ownsStore;

    LocalBackend(TrackingStore store, boolean ownsStore) {
        this.store = store;
        this.ownsStore = ownsStore;
    }

    @Override
    public String experimentId(String name) {
        return store.experimentId(name);
    }

    @Override
    public String createRun(String experimentId, String runName, String parentRunId, long startTime, Map<String, String> tags) {
        return store.createRun(experimentId, runName, startTime, parentRunId, tags, true).runId();
    }

    @Override
    public void log(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        // Params and tags go through MLflow's batch rules (chunked to its limits); metrics in one transaction.
        List<Map.Entry<String, String>> p = new ArrayList<>(params.entrySet());
        List<Map.Entry<String, String>> t = new ArrayList<>(tags.entrySet());
        for (int i = 0; i < Math.max(p.size(), t.size()); i += 100) {
            store.logBatch(runId, List.of(), p.subList(Math.min(i, p.size()), Math.min(i + 100, p.size())),
                    t.subList(Math.min(i, t.size()), Math.min(i + 100, t.size())));
        }
        if (!metrics.isEmpty()) store.logMetrics(runId, metrics);
    }

    @Override
    public void finish(String runId, RunStatus status, long endTime, String error) {
        store.updateRun(runId, status, endTime, null, error);
    }

    @Override
    public void heartbeat(String runId) {
        store.heartbeat(runId);
    }

    @Override
    public void logArtifact(String runId, Path path) {
        store.logArtifact(runId, path, null);
    }

    @Override
    public void logInput(String runId, RunInput input) {
        store.logInput(runId, input);
    }

    @Override
    public void close() {
        if (ownsStore) store.close();
    }
}
