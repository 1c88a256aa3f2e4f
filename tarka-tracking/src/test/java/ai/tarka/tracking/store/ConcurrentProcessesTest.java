package ai.tarka.tracking.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four JVMs log into one store at once; every row must arrive. The suite uses 1,000 metrics per process;
 * {@code -Dtarka.tracking.concurrency.metrics=10000} runs the full figure as a probe.
 */
class ConcurrentProcessesTest {
    @TempDir
    Path dir;

    static Process launch(Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void fourProcessesLoseNoMetric() throws Exception {
        int count = Integer.getInteger("tarka.tracking.concurrency.metrics", 1000);
        try (TrackingStore store = TrackingStore.open(dir)) {
            store.experimentId("concurrency"); // created up front so the children only race on runs and metrics
        }
        List<Process> procs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < 4; p++) procs.add(launch(ConcurrentLogger.class, dir.toString(), Integer.toString(count)));
        List<String> runIds = new ArrayList<>();
        for (Process p : procs) {
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.exitValue()).as("child exit code; output: " + out).isZero();
            runIds.add(out.lines().findFirst().orElseThrow());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (TrackingStore store = TrackingStore.open(dir)) {
            long total = 0;
            for (String id : runIds) {
                long n = store.metricCount(id);
                assertThat(n).as("rows of run " + id).isEqualTo(count);
                assertThat(store.getRun(id).latestMetrics().get("loss").step()).isEqualTo(count - 1);
                assertThat(store.getRunInfo(id).status()).isEqualTo(RunStatus.FINISHED);
                total += n;
            }
            assertThat(total).isEqualTo(4L * count);
            System.out.printf("concurrency: 4 processes x %d metrics (one transaction each) = %d rows in %.1f s (%.0f rows/s)%n",
                    count, total, seconds, total / seconds);
        }
        assertThat(new File(dir.toFile(), TrackingStore.DB_FILE)).exists();
    }
}
