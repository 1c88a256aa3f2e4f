package ai.tarka.tracking;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Tracker} over a backend, with one daemon heartbeat thread for all its open runs and a shutdown
 * hook that marks runs still open at JVM exit as KILLED (SIGKILL skips the hook: the stale heartbeat tells then).
 */
final class BackendTracker implements Tracker {
    /** Heartbeat period; the store declares a run dead after {@code TrackingStore.DEFAULT_STALE_AFTER}. */
    static final long HEARTBEAT_MS = Long.getLong("tarka.tracking.heartbeat.ms", 10_000);

    final TrackingBackend backend;
    private final ScheduledExecutorService heartbeats;
    final Set<BackendRun> open = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook;
    private volatile boolean closed;

    BackendTracker(TrackingBackend backend) {
        this.backend = backend;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tarka-tracking-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleAtFixedRate(this::beat, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
        shutdownHook = new Thread(this::killOpenRuns, "tarka-tracking-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void beat() {
        for (BackendRun r : open) {
            try {
                backend.heartbeat(r.runId());
            } catch (RuntimeException e) {
                // A missed heartbeat is harmless; the next one retries.
            }
        }
    }

    private void killOpenRuns() {
        for (BackendRun r : open) {
            try {
                r.finish(ai.tarka.tracking.store.RunStatus.KILLED, null);
            } catch (RuntimeException ignored) {
                // the JVM is exiting
            }
        }
    }

    @Override
    public TrackedRun startRun(String experiment, String runName, Map<String, ?> params) {
        return startRun(experiment, runName, params, Map.of(), null);
    }

    @Override
    public TrackedRun startRun(String experiment, String runName, Map<String, ?> params, Map<String, String> tags, String parentRunId) {
        if (closed) throw new IllegalStateException("tracker is closed");
        String experimentId = backend.experimentId(experiment);
        String runId = backend.createRun(experimentId, runName, parentRunId, System.currentTimeMillis(), tags == null ? Map.of() : tags);
        BackendRun run = new BackendRun(this, experiment, runId);
        open.add(run);
        if (params != null && !params.isEmpty()) run.logParams(params);
        return run;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (BackendRun r : open) r.close();
        heartbeats.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        backend.close();
    }
}
