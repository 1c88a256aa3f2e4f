package ai.tarka.tracking.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Child-process main for the concurrency test: logs COUNT metrics one transaction each into a fresh run. */
public final class ConcurrentLogger {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        try (TrackingStore store = TrackingStore.open(dir)) {
            String run = store.createRun(store.experimentId("concurrency"), "proc-" + ProcessHandle.current().pid(), System.currentTimeMillis(), null, Map.of(), false).runId();
            System.out.println(run);
            for (int i = 0; i < count; i++) {
                store.logMetrics(run, List.of(new Metric("loss", 1.0 / (i + 1), System.currentTimeMillis(), i)));
            }
            store.updateRun(run, RunStatus.FINISHED, System.currentTimeMillis(), null, null);
        }
    }
}
