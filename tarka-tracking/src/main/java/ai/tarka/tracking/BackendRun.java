package ai.tarka.tracking;

import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.RunInput;
import ai.tarka.tracking.store.RunStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link TrackedRun} of a {@link BackendTracker}. */
final class BackendRun implements TrackedRun {
    private final BackendTracker tracker;
    private final String experiment;
    private final String runId;
    private volatile boolean finished;

    BackendRun(BackendTracker tracker, String experiment, String runId) {
        this.tracker = tracker;
        this.experiment = experiment;
        this.runId = runId;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public void logMetrics(long step, Map<String, ? extends Number> metrics) {
        long now = System.currentTimeMillis();
        List<Metric> list = new ArrayList<>(metrics.size());
        for (Map.Entry<String, ? extends Number> e : metrics.entrySet()) {
            list.add(new Metric(e.getKey(), e.getValue().doubleValue(), now, step));
        }
        tracker.backend.log(runId, list, Map.of(), Map.of());
    }

    @Override
    public void logParams(Map<String, ?> params) {
        tracker.backend.log(runId, List.of(), Params.flatten(params), Map.of());
    }

    @Override
    public void setTags(Map<String, String> tags) {
        tracker.backend.log(runId, List.of(), Map.of(), tags);
    }

    @Override
    public void logArtifact(Path path) {
        tracker.backend.logArtifact(runId, path);
    }

    @Override
    public void logInput(String kind, Path path) {
        logInput(new RunInput(kind, path.toAbsolutePath().toString(), Digests.sha256(path)));
    }

    @Override
    public void logInput(RunInput input) {
        tracker.backend.logInput(runId, input);
    }

    @Override
    public TrackedRun startChild(String runName, Map<String, ?> params) {
        return tracker.startRun(experiment, runName, params, Map.of(), runId);
    }

    @Override
    public synchronized void finish(RunStatus status, Throwable error) {
        if (finished) return;
        finished = true;
        tracker.open.remove(this);
        tracker.backend.finish(runId, status, System.currentTimeMillis(), error == null ? null : describe(error));
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    private static String describe(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 8000 ? s.substring(0, 8000) : s;
    }
}
