package ai.tarka.tracking.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tracking.hpo.HpoConfig;
import ai.tarka.tracking.hpo.Objectives;
import ai.tarka.tracking.hpo.Study;
import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium: runs table → select two runs → compare (overlaid curves, only differing
 * params) → screenshot; run page and study page render without script errors. Needs Chromium: run with
 * {@code ./test -pl tarka-tracking -am -Pbrowser-tests}. Screenshots land in target/dashboard-*.png.
 */
@Tag("browser")
class DashboardBrowserTest {
    @TempDir
    Path dir;

    @Test
    void runsTableCompareRunPageAndStudy() throws Exception {
        HeadlessChromium.binary(); // fail first, clearly, when there is no browser
        try (TrackingStore store = TrackingStore.open(dir.resolve("store"))) {
            String exp = store.experimentId("browser");
            List<String> ids = new ArrayList<>();
            double[] lrs = {1e-3, 3e-4, 1e-4};
            for (int r = 0; r < 3; r++) {
                String id = store.createRun(exp, "run-" + r, 1_700_000_000_000L + r * 1000, null, Map.of(), false).runId();
                ids.add(id);
                store.logBatch(id, List.of(), List.of(Map.entry("lr", Double.toString(lrs[r])), Map.entry("layers", "4")), List.of());
                List<Metric> m = new ArrayList<>();
                for (int s = 0; s < 200; s++) {
                    m.add(new Metric("loss", 4.0 * Math.exp(-s * 0.01 * (r + 1)) + 0.5, 1_700_000_000_000L + s * 100, s));
                    if (s % 20 == 0) m.add(new Metric("val_loss", 4.2 * Math.exp(-s * 0.01 * (r + 1)) + 0.6, 1_700_000_000_000L + s * 100, s));
                }
                store.logMetrics(id, m);
                store.updateRun(id, RunStatus.FINISHED, 1_700_000_100_000L, null, null);
            }
            Files.writeString(dir.resolve("config.yaml"), "lr: 0.001\n");
            store.logArtifact(ids.get(0), dir.resolve("config.yaml"), null);
            HpoConfig hpo = HpoConfig.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                    study: browser-study
                    sampler: tpe
                    seed: 1
                    trials: 12
                    pruner: {type: median, startup_trials: 3}
                    objective: {name: quadratic, steps: 10}
                    space:
                      lr: {type: float, low: 1e-5, high: 1e-1, log: true}
                      warmup: {type: int, low: 0, high: 100, step: 10}
                    """));
            String studyRun = new Study(store, hpo, Objectives.create(hpo, dir), new PrintStream(new ByteArrayOutputStream())).run().studyRunId();

            try (TrackingServer server = TrackingServer.start(store, "127.0.0.1", 0);
                 HeadlessChromium chrome = new HeadlessChromium(dir.resolve("chrome-profile"))) {
                String base = "http://127.0.0.1:" + server.port() + "/";
                chrome.navigate(base + "#/runs");
                chrome.awaitReady("runs", 30_000);
                // Pick the experiment with our three runs.
                chrome.eval("(() => { const s = document.getElementById('experiment'); s.value = '" + exp + "'; s.dispatchEvent(new Event('change')); })()");
                chrome.awaitReady("runs", 30_000);
                assertThat(chrome.eval("document.querySelectorAll('#runs-table tbody tr').length").asInt()).isEqualTo(3);
                // Filter with the search syntax.
                chrome.eval("document.getElementById('filter').value = \"params.lr = '1.0E-4'\"; document.getElementById('apply-filter').click()");
                chrome.awaitReady("runs", 30_000);
                assertThat(chrome.eval("document.querySelectorAll('#runs-table tbody tr').length").asInt()).isEqualTo(1);
                chrome.eval("document.getElementById('filter').value = ''; document.getElementById('apply-filter').click()");
                chrome.awaitReady("runs", 30_000);
                assertThat(chrome.eval("document.querySelectorAll('#runs-table tbody tr').length").asInt()).isEqualTo(3);

                // Sort by clicking a header (twice: descending), and choose columns.
                chrome.eval("document.querySelector(\"th[data-key='attributes.run_name']\").click()");
                chrome.awaitReady("runs", 30_000);
                chrome.eval("document.querySelector(\"th[data-key='attributes.run_name']\").click()");
                chrome.awaitReady("runs", 30_000);
                assertThat(chrome.eval("Array.from(document.querySelectorAll('#runs-table tbody tr td:nth-child(2)')).map(td => td.textContent).join(',')").asText())
                        .isEqualTo("run-2,run-1,run-0");
                chrome.eval("document.getElementById('choose-columns').click(); const cb = document.querySelector(\"#column-list input[value='params.layers']\"); cb.click()");
                chrome.awaitReady("runs", 30_000);
                assertThat(chrome.eval("Array.from(document.querySelectorAll('#runs-table thead th')).map(th => th.textContent).join('|')").asText())
                        .doesNotContain("params.layers").contains("params.lr").contains("metrics.loss");
                chrome.eval("['" + ids.get(0) + "','" + ids.get(2) + "'].forEach(id => document.querySelector(`input.run-select[value='${id}']`).click())");
                assertThat(chrome.eval("document.getElementById('compare-btn').disabled").asBoolean()).isFalse();
                chrome.eval("document.getElementById('compare-btn').click()");
                chrome.awaitReady("compare", 30_000);
                assertThat(chrome.eval("document.querySelectorAll('#param-diff tbody tr').length").asInt()).as("only lr differs").isEqualTo(1);
                assertThat(chrome.eval("document.querySelector('#param-diff tbody tr td').textContent").asText()).isEqualTo("lr");
                assertThat(chrome.eval("document.querySelectorAll('#compare-charts .chart canvas').length").asInt()).as("one chart per metric").isEqualTo(2);
                assertThat(chrome.eval("document.querySelectorAll('#compare-charts .chart')[0].querySelectorAll('.u-legend .u-series').length").asInt())
                        .as("x series + two runs").isEqualTo(3);
                chrome.eval("document.getElementById('log-scale').click(); document.getElementById('x-axis').value = 'time'; document.getElementById('x-axis').dispatchEvent(new Event('change'))");
                assertThat(chrome.eval("document.querySelectorAll('#compare-charts .chart canvas').length").asInt()).isEqualTo(2);
                byte[] png = chrome.screenshot();
                assertThat(png).startsWith(0x89, 'P', 'N', 'G');
                Path shots = Files.createDirectories(Path.of("target"));
                Files.write(shots.resolve("dashboard-compare.png"), png);

                chrome.navigate(base + "#/run/" + ids.get(0));
                chrome.awaitReady("run", 30_000);
                assertThat(chrome.eval("document.getElementById('params-table').innerText").asText()).contains("lr").contains("0.001");
                assertThat(chrome.eval("document.getElementById('artifacts').innerText").asText()).contains("config.yaml");
                assertThat(chrome.eval("document.querySelectorAll('#run-charts canvas').length").asInt()).isEqualTo(2);

                chrome.navigate(base + "#/study/" + studyRun);
                chrome.awaitReady("study", 30_000);
                assertThat(chrome.eval("document.querySelectorAll('#trials-table tbody tr').length").asInt()).isEqualTo(12);
                assertThat(chrome.eval("document.querySelectorAll('#study-charts svg polyline').length").asInt()).as("parallel coordinates").isPositive();
                assertThat(chrome.eval("document.querySelectorAll('#importances tr').length").asInt()).isEqualTo(2);
                assertThat(chrome.eval("document.body.innerText").asText()).contains("PRUNED");
                Files.write(shots.resolve("dashboard-study.png"), chrome.screenshot());
                assertThat(chrome.pageErrors).as("uncaught page errors").isEmpty();
            }
        }
    }
}
