package ai.tarka.tracking.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.RunInfo;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingException;
import ai.tarka.tracking.store.TrackingStore;
import ai.tarka.tracking.store.ViewType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SearchFilterTest {
    private static Run run(String name, RunStatus status, Map<String, String> params, Map<String, String> tags, Map<String, Double> metrics) {
        Map<String, Metric> latest = new java.util.HashMap<>();
        metrics.forEach((k, v) -> latest.put(k, new Metric(k, v, 0, 0)));
        return new Run(new RunInfo("id-" + name, "1", name, status, 1000, 2000L, null, "active", "file:/a", 0, null), params, tags, latest, List.of());
    }

    static final Run A = run("alpha", RunStatus.FINISHED, Map.of("lr", "0.001", "opt", "adamw"), Map.of("stage", "base", "mlflow.user", "ana"), Map.of("loss", 2.0, "acc", 0.5));
    static final Run B = run("beta", RunStatus.FAILED, Map.of("lr", "0.01"), Map.of("stage", "Sweep"), Map.of("loss", 3.5));

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("metrics.loss < 2.5", true, false),
                Arguments.of("metric.loss >= 3.5", false, true),
                Arguments.of("metrics.acc > 0", true, false),
                Arguments.of("params.lr = '0.001'", true, false),
                Arguments.of("parameters.\"lr\" != '0.001'", false, true),
                Arguments.of("tags.stage LIKE 'S%'", false, true),
                Arguments.of("tags.stage ILIKE 's%'", false, true),
                Arguments.of("tags.`stage` IN ('base', 'other')", true, false),
                Arguments.of("attributes.status = 'FAILED'", false, true),
                Arguments.of("attribute.run_name LIKE '%ph%'", true, false),
                Arguments.of("status != 'FAILED' and params.opt = 'adamw' AND metrics.loss <= 2", true, false),
                Arguments.of("params.opt IS NULL", false, true),
                Arguments.of("attributes.start_time >= 1000", true, true),
                Arguments.of("run.run_id IN ('id-beta')", false, true),
                Arguments.of("tags.mlflow.user = 'ana'", true, false));
    }

    @ParameterizedTest
    @MethodSource("filters")
    void matchesLikeMlflow(String filter, boolean a, boolean b) {
        List<Clause> clauses = SearchFilter.parse(filter);
        assertThat(RunMatcher.matches(A, clauses)).as(filter + " on A").isEqualTo(a);
        assertThat(RunMatcher.matches(B, clauses)).as(filter + " on B").isEqualTo(b);
    }

    @ParameterizedTest
    @MethodSource("badFilters")
    void badFiltersAreInvalidParameterValue(String filter, String problem) {
        assertThatThrownBy(() -> SearchFilter.parse(filter))
                .isInstanceOfSatisfying(TrackingException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains(problem);
                });
    }

    static Stream<Arguments> badFilters() {
        return Stream.of(Arguments.of("metrics.loss < 'abc'", "expected a number"),
                Arguments.of("metrics.loss < 1 or metrics.loss > 3", "only AND"),
                Arguments.of("foo.bar = '1'", "invalid entity type 'foo'"),
                Arguments.of("params.lr > '1'", "invalid comparator '>'"),
                Arguments.of("params.lr = 'unterminated", "unterminated quote"),
                Arguments.of("colour = 'red'", "invalid attribute key 'colour'"));
    }

    @TempDir
    Path dir;

    @Test
    void searchOrdersAndPagesThroughTheStore() {
        Random rnd = new Random(11);
        try (TrackingStore store = TrackingStore.open(dir)) {
            String exp = store.experimentId("search");
            List<Double> losses = new ArrayList<>();
            for (int i = 0; i < 37; i++) {
                String id = store.createRun(exp, "r" + i, 1000 + i, null, Map.of(), false).runId();
                if (i % 5 != 0) {
                    double loss = rnd.nextDouble();
                    losses.add(loss);
                    store.logMetric(id, new Metric("loss", loss, 1, 1));
                }
            }
            List<Run> seen = new ArrayList<>();
            String token = null;
            do {
                RunSearch.Page page = RunSearch.search(store, List.of(exp), "", ViewType.ACTIVE_ONLY, 10, List.of("metrics.loss DESC"), token);
                seen.addAll(page.runs());
                token = page.nextPageToken();
            } while (token != null);
            assertThat(seen).hasSize(37);
            List<Double> got = seen.stream().filter(r -> r.latestMetrics().containsKey("loss")).map(r -> r.latestMetrics().get("loss").value()).toList();
            assertThat(got).isSortedAccordingTo(java.util.Comparator.reverseOrder()).hasSize(losses.size());
            // Runs without the metric sort last.
            assertThat(seen.subList(losses.size(), 37)).allMatch(r -> !r.latestMetrics().containsKey("loss"));
            assertThat(RunSearch.search(store, List.of(exp), "metrics.loss < 0.5", ViewType.ACTIVE_ONLY, 1000, List.of(), null).runs())
                    .hasSize((int) losses.stream().filter(l -> l < 0.5).count());
            assertThatThrownBy(() -> RunSearch.search(store, List.of(exp), "", ViewType.ACTIVE_ONLY, 10, List.of(), "garbage!"))
                    .hasMessageContaining("Invalid page token");
            assertThatThrownBy(() -> RunSearch.search(store, List.of(exp), "", ViewType.ACTIVE_ONLY, 50_001, List.of(), null))
                    .hasMessageContaining("max_results");
        }
    }
}
