package ai.tarka.cli.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import ai.tarka.tracking.hpo.StudyRecords;
import ai.tarka.tracking.hpo.TrialContext;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.TrackingStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tarka hpo} with the {@code train} objective on a micro Llama: trials train, report val loss, nest. */
class TrainObjectiveTest {
    @TempDir
    Path tmp;

    @Test
    void trialsTrainTheModelAndReportValidationLoss() throws Exception {
        StringBuilder text = new StringBuilder();
        SplittableRandom r = new SplittableRandom(5);
        String[] words = {"to ", "be ", "or ", "not ", "that ", "is ", "the ", "question.\n"};
        while (text.length() < 4000) text.append(words[r.nextInt(words.length)]);
        Path corpus = Files.writeString(tmp.resolve("corpus.txt"), text);
        Files.writeString(tmp.resolve("train.yaml"), """
                model:
                  architecture: llama
                  hidden_size: 16
                  num_hidden_layers: 1
                  num_attention_heads: 2
                  num_key_value_heads: 1
                data: %s
                sequence_len: 12
                micro_batch_size: 2
                learning_rate: 0.01
                warmup_steps: 2
                max_steps: 100
                eval_steps: 2
                eval_batches: 1
                save_steps: 1000
                output_dir: %s
                """.formatted(corpus, tmp.resolve("out")));
        Path study = Files.writeString(tmp.resolve("study.yaml"), """
                study: micro-lr
                sampler: random
                seed: 1
                trials: 3
                pruner: {type: median, startup_trials: 1}
                objective: {name: train, config: train.yaml, max_steps: 6}
                space:
                  learning_rate: {type: float, low: 1e-4, high: 1e-1, log: true}
                  warmup_steps: {type: int, low: 0, high: 4}
                """);
        CommandLine cl = TarkaMain.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("hpo", study.toString(), "--tracking-dir", tmp.resolve("store").toString());
        assertThat(code).as(err.toString()).isZero();
        try (TrackingStore store = TrackingStore.open(tmp.resolve("store"))) {
            Run studyRun = StudyRecords.unfinishedStudy(store, "micro-lr").orElse(null);
            assertThat(studyRun).as("the study finished").isNull();
            String exp = store.getExperimentByName("micro-lr").orElseThrow().id();
            List<Run> trials = store.runsOf(List.of(exp), ai.tarka.tracking.store.ViewType.ACTIVE_ONLY).stream()
                    .filter(x -> x.tags().containsKey(StudyRecords.TRIAL_TAG)).toList();
            assertThat(trials).hasSize(3);
            for (Run t : trials) {
                assertThat(t.params()).containsKeys("learning_rate", "warmup_steps");
                String state = t.tags().get(StudyRecords.STATE_TAG);
                assertThat(state).isIn("COMPLETE", "PRUNED");
                long evals = store.metricHistory(t.info().runId(), TrialContext.INTERMEDIATE_METRIC).size();
                long losses = store.metricHistory(t.info().runId(), "loss").size();
                if (state.equals("COMPLETE")) {
                    assertThat(evals).isEqualTo(3); // steps 2, 4, 6
                    assertThat(losses).isEqualTo(6);
                    assertThat(t.latestMetrics().get(StudyRecords.VALUE_METRIC).value())
                            .isEqualTo(t.latestMetrics().get("val_loss").value());
                } else {
                    assertThat(evals).isBetween(1L, 2L);
                }
            }
        }
    }
}
