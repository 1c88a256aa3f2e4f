package ai.tarka.tracking;

import ai.tarka.tracking.store.RunInput;
import ai.tarka.tracking.store.RunStatus;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run being recorded. A heartbeat thread marks it alive while it is open; {@link #close()} finishes it
 * FINISHED unless {@link #finish} was called. Methods are thread-safe.
 */
public interface TrackedRun extends AutoCloseable {
    String runId();

    /** Logs metric values observed at {@code step} (timestamp: now). Non-finite values are recorded as such. */
    void logMetrics(long step, Map<String, ? extends Number> metrics);

    /** Logs params; nested maps are flattened with dots. Re-logging a key with another value is an error. */
    void logParams(Map<String, ?> params);

    void setTags(Map<String, String> tags);

    /** Copies a file or folder into the run's artifacts (checkpoints, configs, samples). */
    void logArtifact(Path path);

    /** Records an input (dataset, tokenizer, config) with the SHA-256 digest of its content. */
    void logInput(String kind, Path path);

    void logInput(RunInput input);

    /** Starts a nested run under this one (e.g. one HPO trial). */
    TrackedRun startChild(String runName, Map<String, ?> params);

    /** Ends the run; {@code error} (may be null) is recorded for FAILED runs. Idempotent. */
    void finish(RunStatus status, Throwable error);

    boolean isFinished();

    @Override
    default void close() {
        if (!isFinished()) finish(RunStatus.FINISHED, null);
    }
}
