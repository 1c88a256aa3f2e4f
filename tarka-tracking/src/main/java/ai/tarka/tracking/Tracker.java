package ai.tarka.tracking;

import ai.tarka.tracking.store.TrackingDirs;
import ai.tarka.tracking.store.TrackingStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * What trainers and evaluators use to record runs. {@link #local} writes the embedded store
 * (default {@code ~/.tarka}); {@link #mlflow} sends the same records to an MLflow tracking server.
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.open(trackingDir, mlflowUri);
 *      TrackedRun run = tracker.startRun("tiny-pretrain", "lr3e-4", resolvedConfig)) {
 *     run.logInput("dataset", dataDir);
 *     for (...) run.logMetrics(step, Map.of("loss", loss, "lr", lr));
 *     run.logArtifact(checkpoint);
 * } // FINISHED; call run.finish(RunStatus.FAILED, e) in a catch to record a failure
 * }</pre>
 */
public interface Tracker extends AutoCloseable {
    /** Starts a RUNNING run in {@code experiment} (created if missing) and logs {@code params}. */
    TrackedRun startRun(String experiment, String runName, Map<String, ?> params);

    /** Starts a run with tags and an optional parent run id. */
    TrackedRun startRun(String experiment, String runName, Map<String, ?> params, Map<String, String> tags, String parentRunId);

    @Override
    void close();

    /** The embedded store in {@code dir}, or $TARKA_TRACKING_DIR, or ~/.tarka when {@code dir} is null. */
    static Tracker local(Path dir) {
        return new BackendTracker(new LocalBackend(TrackingStore.open(TrackingDirs.resolve(dir)), true));
    }

    /** A tracker over an already open store (the store stays open when the tracker closes). */
    static Tracker local(TrackingStore store) {
        return new BackendTracker(new LocalBackend(store, false));
    }

    /** An MLflow tracking server, e.g. {@code http://127.0.0.1:5000}. */
    static Tracker mlflow(URI uri) {
        return new BackendTracker(new MlflowRestBackend(uri));
    }

    /** {@code --mlflow-uri} when given, else the local store of {@code --tracking-dir}. */
    static Tracker open(Path trackingDir, URI mlflowUri) {
        return mlflowUri != null ? mlflow(mlflowUri) : local(trackingDir);
    }
}
