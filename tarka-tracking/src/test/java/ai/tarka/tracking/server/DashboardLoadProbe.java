package ai.tarka.tracking.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe (not part of the suite; prints figures, asserts only correctness): page load of the runs table with
 * 500 runs x 1,000 steps (loss and lr), plus the compare and run pages. Run with
 * {@code ./test -q -o -pl tarka-tracking -am -Dtarka.tracking.excluded.groups=none -Dtest=DashboardLoadProbe}.
 */
@Tag("probe")
class DashboardLoadProbe {
    @TempDir
    Path dir;

    @Test
    void runsPageWith500RunsOf1000Steps() throws Exception {
        int runs = Integer.getInteger("tarka.probe.runs", 500), steps = Integer.getInteger("tarka.probe.steps", 1000);
        Random rnd = new Random(1);
        try (TrackingStore store = TrackingStore.open(dir)) {
            String exp = store.experimentId("load");
            long t0 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                String id = store.createRun(exp, "run-" + r, 1_700_000_000_000L + r, null, Map.of(), false).runId();
                ids.add(id);
                store.logBatch(id, List.of(), List.of(Map.entry("lr", Double.toString(Math.pow(10, -5 + 3 * rnd.nextDouble()))),
                        Map.entry("layers", Integer.toString(2 + rnd.nextInt(6))), Map.entry("seed", Integer.toString(r))), List.of());
                List<Metric> m = new ArrayList<>(2 * steps);
                double rate = 0.001 + 0.004 * rnd.nextDouble();
                for (int s = 0; s < steps; s++) {
                    m.add(new Metric("loss", 4 * Math.exp(-rate * s) + 0.3 + 0.02 * rnd.nextGaussian(), 1_700_000_000_000L + s * 1000L, s));
                    m.add(new Metric("lr", 1e-3 * Math.min(1, s / 100.0), 1_700_000_000_000L + s * 1000L, s));
                }
                store.logMetrics(id, m);
                store.updateRun(id, RunStatus.FINISHED, 1_700_000_000_000L + steps * 1000L, null, null);
            }
            System.out.printf("probe: wrote %d runs x %d steps x 2 metrics = %,d rows in %.1f s; db %,d bytes%n", runs, steps,
                    2L * runs * steps, (System.nanoTime() - t0) / 1e9, java.nio.file.Files.size(store.databaseFile()));
            try (TrackingServer server = TrackingServer.start(store, "127.0.0.1", 0);
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                 HeadlessChromium chrome = new HeadlessChromium(dir.resolve("profile"))) {
                String base = "http://127.0.0.1:" + server.port();
                for (int i = 0; i < 3; i++) {
                    long a = System.nanoTime();
                    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/runs/search"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"experiment_ids\": [\"" + exp + "\"], \"max_results\": 1000}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(res.statusCode()).isEqualTo(200);
                    System.out.printf("probe: runs/search of %d runs: %.0f ms, %,d bytes%n", runs, (System.nanoTime() - a) / 1e6, res.body().length());
                }
                for (int i = 0; i < 3; i++) {
                    chrome.navigate("about:blank");
                    chrome.navigate(base + "/#/runs?i=" + i);
                    chrome.awaitReady("runs", 120_000);
                    assertThat(chrome.eval("document.querySelectorAll('#runs-table tbody tr').length").asInt()).isEqualTo(runs);
                    System.out.printf("probe: runs page (%d rows) ready %.0f ms after navigation start%n", runs,
                            chrome.eval("window.tarkaTimings.runs").asDouble());
                }
                chrome.navigate(base + "/#/compare/" + ids.get(0) + "," + ids.get(1) + "," + ids.get(2));
                chrome.awaitReady("compare", 120_000);
                System.out.printf("probe: compare page (3 runs x 2 metrics x %d steps) ready %.0f ms after navigation start%n", steps,
                        chrome.eval("window.tarkaTimings.compare").asDouble());
                chrome.navigate("about:blank");
                chrome.navigate(base + "/#/run/" + ids.get(7));
                chrome.awaitReady("run", 120_000);
                System.out.printf("probe: run page ready %.0f ms after navigation start%n", chrome.eval("window.tarkaTimings.run").asDouble());
            }
        }
    }
}
