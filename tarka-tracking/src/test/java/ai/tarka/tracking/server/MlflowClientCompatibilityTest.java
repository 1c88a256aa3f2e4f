package ai.tarka.tracking.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.tracking.store.TrackingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;

/** The official MLflow Java client against {@code tarka ui}'s REST API on a random free port. */
class MlflowClientCompatibilityTest {
    @TempDir
    Path dir;
    TrackingStore store;
    TrackingServer server;
    MlflowClient client;

    @BeforeEach
    void start() {
        store = TrackingStore.open(dir);
        server = TrackingServer.start(store, "127.0.0.1", 0);
        client = new MlflowClient("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        store.close();
    }

    private static Service.Metric metric(String key, double value, long step) {
        return Service.Metric.newBuilder().setKey(key).setValue(value).setTimestamp(1_700_000_000_000L + step).setStep(step).build();
    }

    private static Service.Param param(String key, String value) {
        return Service.Param.newBuilder().setKey(key).setValue(value).build();
    }

    private static Service.RunTag tag(String key, String value) {
        return Service.RunTag.newBuilder().setKey(key).setValue(value).build();
    }

    @Test
    void createLogSearchAndReadHistoryBack() {
        String exp = client.createExperiment("mlflow-compat");
        assertThat(client.getExperiment(exp).getName()).isEqualTo("mlflow-compat");
        Optional<Service.Experiment> byName = client.getExperimentByName("mlflow-compat");
        assertThat(byName).get().extracting(Service.Experiment::getExperimentId).isEqualTo(exp);

        List<String> runIds = new ArrayList<>();
        double[] lrs = {1e-3, 3e-4, 1e-4};
        for (int r = 0; r < lrs.length; r++) {
            Service.RunInfo info = client.createRun(exp);
            runIds.add(info.getRunId());
            List<Service.Metric> metrics = new ArrayList<>();
            for (int step = 0; step < 50; step++) metrics.add(metric("loss", 4.0 - step * 0.01 * (r + 1), step));
            client.logBatch(info.getRunId(), metrics, List.of(param("lr", Double.toString(lrs[r])), param("layers", "4")),
                    List.of(tag("stage", r == 0 ? "baseline" : "sweep")));
            client.logMetric(info.getRunId(), "val_loss", 3.5 - r, 1_700_000_000_123L, 49);
            client.logParam(info.getRunId(), "seed", Integer.toString(r));
            client.setTag(info.getRunId(), "mlflow.note.content", "run " + r);
            client.setTerminated(info.getRunId(), Service.RunStatus.FINISHED);
        }

        Service.Run run0 = client.getRun(runIds.get(0));
        assertThat(run0.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(run0.getInfo().getEndTime()).isPositive();
        assertThat(run0.getData().getParamsList()).extracting(Service.Param::getKey).contains("lr", "layers", "seed");
        assertThat(run0.getData().getMetricsList()).filteredOn(m -> m.getKey().equals("loss"))
                .singleElement().satisfies(m -> {
                    assertThat(m.getStep()).isEqualTo(49);
                    assertThat(m.getValue()).isCloseTo(4.0 - 49 * 0.01, org.assertj.core.data.Offset.offset(1e-12));
                });

        List<Service.Metric> history = client.getMetricHistory(runIds.get(1), "loss");
        assertThat(history).hasSize(50);
        assertThat(history).extracting(Service.Metric::getStep).isSorted();
        assertThat(history.get(10).getValue()).isCloseTo(4.0 - 10 * 0.02, org.assertj.core.data.Offset.offset(1e-12));

        List<Service.RunInfo> sweep = client.searchRuns(List.of(exp), "tags.stage = 'sweep' and metrics.val_loss < 2.8");
        assertThat(sweep).extracting(Service.RunInfo::getRunId).containsExactlyInAnyOrder(runIds.get(1), runIds.get(2));
        assertThat(client.searchRuns(List.of(exp), "params.lr = '1.0E-4'")).extracting(Service.RunInfo::getRunId).containsExactly(runIds.get(2));

        RunsPage page1 = client.searchRuns(List.of(exp), "", Service.ViewType.ACTIVE_ONLY, 2, List.of("metrics.val_loss ASC"));
        assertThat(page1.getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(runIds.get(2), runIds.get(1));
        assertThat(page1.hasNextPage()).isTrue();
        RunsPage page2 = (RunsPage) page1.getNextPage();
        assertThat(page2.getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(runIds.get(0));
        assertThat(page2.hasNextPage()).isFalse();
    }

    @Test
    void errorsUseMlflowCodesAndStatuses() {
        assertThatThrownBy(() -> client.getRun("0123456789abcdef"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST").contains("0123456789abcdef");
                });
        String exp = client.createExperiment("limits");
        String run = client.createRun(exp).getRunId();
        List<Service.Metric> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) tooMany.add(metric("m", i, i));
        assertThatThrownBy(() -> client.logBatch(run, tooMany, List.of(), List.of()))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("at most 1000 metrics");
                });
        client.logParam(run, "lr", "0.1");
        assertThatThrownBy(() -> client.logParam(run, "lr", "0.2"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("Changing param values is not allowed");
                });
        assertThatThrownBy(() -> client.searchRuns(List.of(exp), "metrics.loss ~ 3"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
        assertThatThrownBy(() -> client.createExperiment("limits"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS"));
    }
}
