package ai.tarka.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training process killed with SIGKILL leaves its run RUNNING with a stale heartbeat, shown as KILLED. */
class KilledRunTest {
    @TempDir
    Path dir;

    /** Child main: starts a run with a fast heartbeat, logs one metric, prints the run id, then waits forever. */
    public static final class Victim {
        public static void main(String[] args) throws Exception {
            Tracker tracker = Tracker.local(Path.of(args[0]));
            TrackedRun run = tracker.startRun("killed", "victim", Map.of("lr", 0.1));
            run.logMetrics(0, Map.of("loss", 3.0));
            System.out.println(run.runId());
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void sigkillLeavesAStaleHeartbeatReportedAsKilled() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "--enable-native-access=ALL-UNNAMED", "-Dtarka.tracking.heartbeat.ms=100",
                "-cp", System.getProperty("java.class.path"), Victim.class.getName(), dir.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String runId;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            runId = out.readLine();
            assertThat(runId).as("run id from the child").isNotNull().hasSize(32);
            long beforeKill;
            try (TrackingStore store = TrackingStore.open(dir)) {
                beforeKill = store.getRunInfo(runId).heartbeat();
                assertThat(store.getRunInfo(runId).status()).isEqualTo(RunStatus.RUNNING);
            }
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(137);
            // Read with a clock two minutes ahead instead of waiting for the heartbeat to go stale.
            try (TrackingStore store = TrackingStore.open(dir, Duration.ofSeconds(60), () -> System.currentTimeMillis() + 120_000)) {
                var info = store.getRunInfo(runId);
                assertThat(info.status()).isEqualTo(RunStatus.KILLED);
                assertThat(info.heartbeat()).isGreaterThanOrEqualTo(beforeKill);
                assertThat(info.endTime()).isNull();
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
