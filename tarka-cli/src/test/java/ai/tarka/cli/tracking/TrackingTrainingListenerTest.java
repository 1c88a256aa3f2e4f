package ai.tarka.cli.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tracking.TrackedRun;
import ai.tarka.tracking.Tracker;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingStore;
import ai.tarka.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingTrainingListenerTest {
    @TempDir
    Path dir;

    @Test
    void forwardsAndRecordsEveryReport() {
        Random rnd = new Random(4);
        List<String> forwarded = new ArrayList<>();
        TrainingListener progress = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                forwarded.add("step " + r.step());
            }

            @Override
            public void onEval(EvalReport r) {
                forwarded.add("eval " + r.step());
            }
        };
        try (TrackingStore store = TrackingStore.open(dir); Tracker tracker = Tracker.local(store)) {
            String runId;
            int steps = 7 + rnd.nextInt(5);
            try (TrackedRun run = tracker.startRun("train", "micro", Map.of("learning_rate", 0.01))) {
                runId = run.runId();
                TrackingTrainingListener l = new TrackingTrainingListener(run, progress);
                l.onStart(new TrainingListener.TrainPlan(1, steps, 24, 1000, null, null));
                for (int s = 1; s <= steps; s++) {
                    l.onStep(new TrainingListener.StepReport(s, steps, 4.0 - 0.1 * s, 0.01, 1.5, 24L * s, 1000, 1));
                    if (s % 3 == 0) l.onEval(new TrainingListener.EvalReport(s, 3.9 - 0.1 * s, Math.exp(3.9 - 0.1 * s), null));
                }
                l.onCheckpoint(steps, dir.resolve("checkpoint-" + steps));
                l.onFinish(new TrainingListener.TrainSummary(steps, 24L * steps, 1.5, 4.0 - 0.1 * steps, Double.NaN, null));
            }
            Run r = store.getRun(runId);
            assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(r.params()).containsEntry("learning_rate", "0.01").containsEntry("plan.parameters", "1000");
            assertThat(store.metricHistory(runId, "loss")).hasSize(steps);
            assertThat(store.metricHistory(runId, "val_loss")).hasSize(steps / 3);
            assertThat(r.latestMetrics()).containsKeys("learning_rate", "grad_norm", "tokens_per_second", "val_perplexity", "final_train_loss")
                    .doesNotContainKey("final_val_loss");
            assertThat(r.tags()).containsEntry("tarka.checkpoint.latest", dir.resolve("checkpoint-" + steps).toAbsolutePath().toString());
            assertThat(forwarded).hasSize(steps + steps / 3).startsWith("step 1");
        }
    }
}
