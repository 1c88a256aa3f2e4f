package ai.tarka.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.tracking.server.TrackingServer;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingException;
import ai.tarka.tracking.store.TrackingStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The trainer-facing API, against the embedded store and against an MLflow REST server (our own). */
class TrackerTest {
    @TempDir
    Path dir;

    static Stream<String> backends() {
        return Stream.of("local", "mlflow-rest");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void recordsAWholeTrainingRun(String backend) throws Exception {
        try (TrackingStore store = TrackingStore.open(dir.resolve("store"));
             TrackingServer server = backend.equals("local") ? null : TrackingServer.start(store, "127.0.0.1", 0);
             Tracker tracker = server == null ? Tracker.local(store) : Tracker.mlflow(URI.create("http://127.0.0.1:" + server.port()))) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("model", Map.of("layers", 4, "dim", 64));
            config.put("lr", 3e-4);
            config.put("steps", 1500.0);
            Path data = Files.writeString(dir.resolve("train.txt"), "tokens");
            Path ckpt = Files.writeString(dir.resolve("step-100.safetensors"), "weights");
            String runId;
            try (TrackedRun run = tracker.startRun("tiny-pretrain", "lr3e-4", config)) {
                runId = run.runId();
                run.logInput("dataset", data);
                // 1200 values in one call: the REST backend must split it under MLflow's 1000-entity limit.
                for (int step = 0; step < 3; step++) {
                    Map<String, Double> m = new LinkedHashMap<>();
                    for (int k = 0; k < 400; k++) m.put("m" + k, step + k / 1000.0);
                    run.logMetrics(step, m);
                }
                run.logMetrics(3, Map.of("loss", 2.5, "lr", 3e-4));
                run.logArtifact(ckpt);
                assertThatThrownBy(() -> run.logParams(Map.of("lr", 1e-3))).isInstanceOf(TrackingException.class)
                        .hasMessageContaining("Changing param values is not allowed");
            }
            Run r = store.getRun(runId);
            assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(r.info().runName()).isEqualTo("lr3e-4");
            assertThat(r.params()).containsEntry("model.layers", "4").containsEntry("model.dim", "64")
                    .containsEntry("lr", "3.0E-4").containsEntry("steps", "1500");
            assertThat(store.metricCount(runId)).isEqualTo(3 * 400 + 2);
            assertThat(r.latestMetrics().get("m399").step()).isEqualTo(2);
            assertThat(store.listArtifacts(runId, null)).extracting(a -> a.path()).containsExactly("step-100.safetensors");
            assertThat(r.inputs()).singleElement().satisfies(in -> {
                assertThat(in.kind()).isEqualTo("dataset");
                // MLflow's dataset digest column holds 36 characters; the REST backend sends that prefix.
                String digest = Digests.sha256("tokens");
                assertThat(in.digest()).isEqualTo(backend.equals("local") ? digest : digest.substring(0, 36));
            });
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aFailureIsRecordedWithItsErrorAndChildRunsNest(String backend) {
        try (TrackingStore store = TrackingStore.open(dir.resolve("store"));
             TrackingServer server = backend.equals("local") ? null : TrackingServer.start(store, "127.0.0.1", 0);
             Tracker tracker = server == null ? Tracker.local(store) : Tracker.mlflow(URI.create("http://127.0.0.1:" + server.port()))) {
            TrackedRun parent = tracker.startRun("hpo", "study", Map.of());
            TrackedRun child = parent.startChild("trial-0", Map.of("lr", 0.1));
            child.finish(RunStatus.FAILED, new IllegalStateException("loss is NaN at step 12"));
            parent.close();
            Run c = store.getRun(child.runId());
            assertThat(c.info().status()).isEqualTo(RunStatus.FAILED);
            assertThat(c.tags()).containsEntry("mlflow.parentRunId", parent.runId());
            String error = backend.equals("local") ? c.info().error() : c.tags().get("tarka.error");
            assertThat(error).contains("loss is NaN at step 12");
            assertThat(store.childRuns(parent.runId())).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void unknownServerOrRunGivesAClearError(String backend) {
        if (backend.equals("local")) {
            try (TrackingStore store = TrackingStore.open(dir)) {
                assertThatThrownBy(() -> store.getRun("missing")).hasMessageContaining("Run with id=missing not found");
            }
        } else {
            try (Tracker t = Tracker.mlflow(URI.create("http://127.0.0.1:1"))) {
                assertThatThrownBy(() -> t.startRun("x", "y", Map.of())).isInstanceOf(TrackingException.class)
                        .hasMessageContaining("unreachable");
            }
        }
        assertThat(List.of(backend)).isNotEmpty();
    }
}
