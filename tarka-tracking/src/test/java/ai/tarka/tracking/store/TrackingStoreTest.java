package ai.tarka.tracking.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrackingStoreTest {
    @TempDir
    Path dir;

    private static Map.Entry<String, String> kv(String k, String v) {
        return Map.entry(k, v);
    }

    @Test
    void createsExperimentsAndRunsWithMlflowSemantics() {
        try (TrackingStore store = TrackingStore.open(dir)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.latestVersion());
            String exp = store.createExperiment("tiny", null, Map.of("team", "lm"));
            assertThat(store.getExperimentByName("tiny")).get().extracting(Experiment::id).isEqualTo(exp);
            assertThat(store.getExperiment(exp).tags()).containsEntry("team", "lm");
            assertThat(store.experimentId("tiny")).isEqualTo(exp);
            assertThatThrownBy(() -> store.createExperiment("tiny", null, Map.of()))
                    .isInstanceOfSatisfying(TrackingException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));

            RunInfo run = store.createRun(exp, "base", 1000, null, Map.of("k", "v"), true);
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            RunInfo child = store.createRun(exp, null, 1001, run.runId(), Map.of(), true);
            assertThat(child.parentRunId()).isEqualTo(run.runId());
            assertThat(child.runName()).matches("[a-z]+-[a-z]+-\\d+");
            assertThat(store.childRuns(run.runId())).extracting(r -> r.info().runId()).containsExactly(child.runId());

            store.logParam(run.runId(), "lr", "0.001");
            store.logParam(run.runId(), "lr", "0.001"); // same value: allowed
            assertThatThrownBy(() -> store.logParam(run.runId(), "lr", "0.01"))
                    .isInstanceOfSatisfying(TrackingException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                        assertThat(e.getMessage()).contains("Changing param values is not allowed").contains("'0.001'").contains("'0.01'");
                    });

            store.logMetrics(run.runId(), List.of(new Metric("loss", 3.0, 10, 0), new Metric("loss", 2.0, 11, 1),
                    new Metric("loss", 2.5, 9, 1), new Metric("loss", Double.NaN, 12, 0), new Metric("acc", Double.POSITIVE_INFINITY, 5, 3)));
            List<Metric> history = store.metricHistory(run.runId(), "loss");
            assertThat(history).hasSize(4);
            assertThat(history.get(1).value()).isNaN();
            Run full = store.getRun(run.runId());
            // Latest = highest step, then latest timestamp: step 1 at t=11.
            assertThat(full.latestMetrics().get("loss")).isEqualTo(new Metric("loss", 2.0, 11, 1));
            assertThat(full.latestMetrics().get("acc").value()).isInfinite();
            assertThat(full.params()).containsEntry("lr", "0.001");
            assertThat(full.tags()).containsEntry("k", "v").containsEntry("mlflow.runName", "base");

            store.updateRun(run.runId(), RunStatus.FAILED, 2000L, null, "boom");
            RunInfo ended = store.getRunInfo(run.runId());
            assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
            assertThat(ended.endTime()).isEqualTo(2000L);
            assertThat(ended.error()).isEqualTo("boom");
        }
    }

    @Test
    void unknownRunAndExperimentAreResourceDoesNotExist() {
        try (TrackingStore store = TrackingStore.open(dir)) {
            assertThatThrownBy(() -> store.getRun("nope"))
                    .isInstanceOfSatisfying(TrackingException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
                        assertThat(e.getMessage()).contains("nope");
                    });
            assertThatThrownBy(() -> store.getExperiment("42"))
                    .isInstanceOfSatisfying(TrackingException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        }
    }

    static Stream<Arguments> batchSizes() {
        Random rnd = new Random(7);
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(1001, 0, 0, "at most 1000 metrics"));
        out.add(Arguments.of(0, 101, 0, "at most 100 params"));
        out.add(Arguments.of(0, 0, 101, "at most 100 tags"));
        out.add(Arguments.of(950, 40, 40, "1000 total"));
        for (int i = 0; i < 3; i++) out.add(Arguments.of(1 + rnd.nextInt(997), rnd.nextInt(101), 0, null));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("batchSizes")
    void logBatchEnforcesLimitsAtomically(int metrics, int params, int tags, String error) {
        try (TrackingStore store = TrackingStore.open(dir)) {
            String run = store.createRun(store.experimentId("b"), "r", 0, null, Map.of(), false).runId();
            List<Metric> m = new ArrayList<>();
            for (int i = 0; i < metrics; i++) m.add(new Metric("m" + (i % 7), i, i, i));
            List<Map.Entry<String, String>> p = new ArrayList<>(), t = new ArrayList<>();
            for (int i = 0; i < params; i++) p.add(kv("p" + i, "v" + i));
            for (int i = 0; i < tags; i++) t.add(kv("t" + i, "v" + i));
            if (error != null) {
                assertThatThrownBy(() -> store.logBatch(run, m, p, t))
                        .isInstanceOfSatisfying(TrackingException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                            assertThat(e.getMessage()).contains(error);
                        });
                assertThat(store.metricCount(run)).isZero();
            } else {
                store.logBatch(run, m, p, t);
                assertThat(store.metricCount(run)).isEqualTo(metrics);
                assertThat(store.getRun(run).params()).hasSize(params);
            }
        }
    }

    @Test
    void aBatchWithAChangedParamWritesNothing() {
        try (TrackingStore store = TrackingStore.open(dir)) {
            String run = store.createRun(store.experimentId("b"), "r", 0, null, Map.of(), false).runId();
            store.logParam(run, "a", "1");
            assertThatThrownBy(() -> store.logBatch(run, List.of(new Metric("x", 1, 1, 1)), List.of(kv("b", "2"), kv("a", "3")), List.of()))
                    .isInstanceOf(TrackingException.class);
            assertThat(store.metricCount(run)).isZero();
            assertThat(store.getRun(run).params()).containsOnlyKeys("a");
        }
    }

    @Test
    void aStaleHeartbeatReadsAsKilledButClientRunsWithoutHeartbeatDoNot() {
        AtomicLong now = new AtomicLong(1_000_000);
        try (TrackingStore store = TrackingStore.open(dir, Duration.ofSeconds(60), now::get)) {
            String exp = store.experimentId("hb");
            String tracked = store.createRun(exp, "tracked", now.get(), null, Map.of(), true).runId();
            String client = store.createRun(exp, "client", now.get(), null, Map.of(), false).runId();
            now.addAndGet(30_000);
            store.heartbeat(tracked);
            now.addAndGet(59_000);
            assertThat(store.getRunInfo(tracked).status()).isEqualTo(RunStatus.RUNNING);
            now.addAndGet(2_000);
            assertThat(store.getRunInfo(tracked).status()).isEqualTo(RunStatus.KILLED);
            assertThat(store.getRunInfo(client).status()).isEqualTo(RunStatus.RUNNING);
        }
    }

    @Test
    void aCorruptDatabaseFileIsNamedInTheError() throws Exception {
        byte[] junk = new byte[8192];
        new Random(3).nextBytes(junk);
        Files.write(dir.resolve(TrackingStore.DB_FILE), junk);
        assertThatThrownBy(() -> TrackingStore.open(dir))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining(dir.resolve(TrackingStore.DB_FILE).toString())
                .hasMessageContaining("corrupt or not an SQLite database");
    }

    @Test
    void migratesAVersionOneDatabaseForward() throws Exception {
        Path db = dir.resolve(TrackingStore.DB_FILE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_time INTEGER NOT NULL, description TEXT NOT NULL)");
            for (String sql : Migrations.STEPS.getFirst().statements()) s.execute(sql);
            s.execute("INSERT INTO schema_version VALUES (1, 0, 'v1')");
            s.execute("INSERT INTO experiments(name, artifact_location, creation_time, last_update_time) VALUES ('old', 'file:/tmp/x', 1, 1)");
        }
        try (TrackingStore store = TrackingStore.open(dir)) {
            assertThat(store.schemaVersion()).isEqualTo(2);
            String run = store.createRun(store.experimentId("old"), "r", 0, null, Map.of(), false).runId();
            store.logInput(run, new RunInput("dataset", "/data/train.bin", "ab12"));
            assertThat(store.getRun(run).inputs()).containsExactly(new RunInput("dataset", "/data/train.bin", "ab12"));
        }
    }

    @Test
    void artifactsAreCopiedAndListed() throws Exception {
        try (TrackingStore store = TrackingStore.open(dir)) {
            String run = store.createRun(store.experimentId("a"), "r", 0, null, Map.of(), false).runId();
            Path ckpt = Files.createDirectories(dir.resolve("src/ckpt"));
            Files.writeString(ckpt.resolve("model.safetensors"), "weights");
            Files.writeString(dir.resolve("src/config.yaml"), "lr: 1");
            store.logArtifact(run, ckpt, null);
            store.logArtifact(run, dir.resolve("src/config.yaml"), null);
            assertThat(store.listArtifacts(run, null)).containsExactly(new ArtifactFile("ckpt", true, 0), new ArtifactFile("config.yaml", false, 5));
            assertThat(store.listArtifacts(run, "ckpt")).containsExactly(new ArtifactFile("ckpt/model.safetensors", false, 7));
            assertThatThrownBy(() -> store.listArtifacts(run, "../../x")).isInstanceOf(TrackingException.class).hasMessageContaining("leaves");
        }
    }
}
