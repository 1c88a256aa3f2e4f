package ai.tarka.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.train.TrainingListener.TrainSummary;
import ai.tarka.train.checkpoint.CheckpointDirs;
import ai.tarka.train.checkpoint.CheckpointException;
import ai.tarka.train.checkpoint.TrainerState;
import ai.tarka.train.config.TrainConfig;
import ai.tarka.train.config.TrainConfigException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path tmp;

    private static TrainSummary train(TrainConfig c, StandInBackend backend, LossRecorder rec, boolean resume) {
        return new Trainer(c, backend, TinyRuns.inputs(c), rec).run(resume);
    }

    @Test
    void resumeFromACheckpointReproducesTheUninterruptedLossesExactly() throws IOException {
        TrainConfig straight = TinyRuns.config(tmp.resolve("a"), 14, 4);
        LossRecorder a = new LossRecorder();
        StandInBackend backend = new StandInBackend();
        train(straight, backend, a, false);

        TrainConfig broken = TinyRuns.config(tmp.resolve("b"), 14, 4);
        LossRecorder first = new LossRecorder();
        first.dieAfterStep = 7;
        assertThatThrownBy(() -> train(broken, backend, first, false)).isInstanceOf(LossRecorder.Died.class);
        Files.createDirectories(tmp.resolve("b/checkpoint-8.tmp-1234abcd/trainer_state"));

        LossRecorder resumed = new LossRecorder();
        TrainSummary s = train(broken, backend, resumed, true);

        assertThat(resumed.steps).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        for (long step = 5; step <= 14; step++) {
            assertThat(resumed.lossAt(step)).as("loss at step %d", step).isEqualTo(a.lossAt(step));
        }
        for (long step = 1; step <= 7; step++) assertThat(first.lossAt(step)).isEqualTo(a.lossAt(step));
        assertThat(resumed.notes).anyMatch(n -> n.contains("removed 1 unfinished checkpoint"));
        assertThat(s.steps()).isEqualTo(14);
        assertThat(s.checkpoint()).isEqualTo(tmp.resolve("b/checkpoint-14"));
        assertThat(Files.readAllBytes(tmp.resolve("b/checkpoint-14/model.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("a/checkpoint-14/model.safetensors")));
        assertThat(Files.readAllBytes(tmp.resolve("b/checkpoint-14/trainer_state/optimizer.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("a/checkpoint-14/trainer_state/optimizer.safetensors")));
        try (Stream<Path> s2 = Files.list(tmp.resolve("b"))) {
            assertThat(s2.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp"));
        }
        // one train line per step: the crashed run's lines after its checkpoint were dropped on resume
        ObjectMapper json = new ObjectMapper();
        List<Long> logged = Files.readAllLines(tmp.resolve("b/metrics.jsonl")).stream()
                .map(l -> { try { return json.readTree(l); } catch (IOException e) { throw new RuntimeException(e); } })
                .filter(n -> n.get("type").asText().equals("train")).map(n -> n.get("step").asLong()).toList();
        assertThat(logged).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
    }

    @Test
    void checkpointsHoldModelTokenizerAndTrainerState() throws IOException {
        TrainConfig c = TinyRuns.config(tmp.resolve("run"), 10, 4);
        LossRecorder rec = new LossRecorder();
        TrainSummary s = train(c, new StandInBackend(), rec, false);

        assertThat(CheckpointDirs.list(tmp.resolve("run")).stream().map(CheckpointDirs.Checkpoint::step)).containsExactly(4L, 8L, 10L);
        Path ck = tmp.resolve("run/checkpoint-8");
        for (String f : List.of("config.json", "model.safetensors", "generation_config.json",
                "trainer_state/state.json", "trainer_state/optimizer.safetensors")) {
            assertThat(ck.resolve(f)).as(f).isRegularFile();
        }
        TrainerState state = TrainerState.read(ck.resolve("trainer_state/state.json"));
        assertThat(state.step()).isEqualTo(8);
        assertThat(state.dataPosition()).isEqualTo(16);
        assertThat(state.seed()).isEqualTo(11);
        assertThat(state.threads()).isEqualTo(ai.tarka.kernels.ComputePool.shared().threads());
        assertThat(state.schedule().type()).isEqualTo("cosine");
        assertThat(state.schedule().minLr()).isCloseTo(3e-3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(state.lossHistory()).hasSize(8);
        assertThat(state.lossHistory().getLast().loss()).isEqualTo(rec.lossAt(8));
        assertThat(state.tokensSeen()).isEqualTo(8L * 2 * 3 * 9);

        assertThat(rec.losses.getLast()).isLessThan(rec.losses.getFirst());
        assertThat(rec.evals).extracting(TrainingListener.EvalReport::step).containsExactly(5L, 10L);
        assertThat(rec.evals.getLast().valLoss()).isFinite();
        assertThat(rec.evals.getLast().perplexity()).isCloseTo(Math.exp(rec.evals.getLast().valLoss()), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(rec.evals.getLast().sample()).startsWith("the ").hasSize(10);
        assertThat(s.finalValLoss()).isEqualTo(rec.evals.getLast().valLoss());
    }

    @Test
    void baseModelStartsFromACheckpointsWeights() {
        LossRecorder first = new LossRecorder();
        train(TinyRuns.config(tmp.resolve("pre"), 12, 0), new StandInBackend(), first, false);
        LossRecorder tuned = new LossRecorder();
        TrainConfig c = TinyRuns.fromBase(tmp.resolve("tuned"), tmp.resolve("pre/checkpoint-12"), 2);
        train(c, new StandInBackend(), tuned, false);
        assertThat(tuned.lossAt(1)).isLessThan(first.lossAt(1) - 0.3);
        assertThat(tmp.resolve("tuned/checkpoint-2/model.safetensors")).isRegularFile();
    }

    @Test
    void saveTotalLimitKeepsTheNewest() {
        TrainConfig c = TinyRuns.config(tmp.resolve("run"), 9, 2);
        TrainConfig limited = new TrainConfig(c.source(), c.baseModel(), c.model(), c.tokenizer(), c.data(), c.sequenceLen(),
                c.microBatchSize(), c.gradientAccumulationSteps(), c.learningRate(), c.lrScheduler(), c.cosineMinLrRatio(),
                c.warmupSteps(), c.maxSteps(), c.evalSteps(), c.evalBatches(), c.saveSteps(), 2, c.loggingSteps(),
                c.weightDecay(), c.adamBeta1(), c.adamBeta2(), c.adamEpsilon(), c.maxGradNorm(), c.seed(), c.outputDir(),
                c.dropout(), c.samplePrompt(), c.sampleTokens());
        train(limited, new StandInBackend(), new LossRecorder(), false);
        assertThat(CheckpointDirs.list(tmp.resolve("run")).stream().map(CheckpointDirs.Checkpoint::step)).containsExactly(8L, 9L);
    }

    @Test
    void aFullDiskGivesAClearErrorAndLeavesNoPartialCheckpoint() throws IOException {
        TrainConfig c = TinyRuns.config(tmp.resolve("run"), 6, 4);
        StandInBackend backend = new StandInBackend();
        backend.failWriting = "optimizer.safetensors";
        assertThatThrownBy(() -> train(c, backend, new LossRecorder(), false))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("cannot write checkpoint " + tmp.resolve("run/checkpoint-4"))
                .hasMessageContaining("optimizer.safetensors: No space left on device");
        try (Stream<Path> s = Files.list(tmp.resolve("run"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("metrics.jsonl");
        }
    }

    @Test
    void anUnwritableOutputDirectoryIsNamed() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        TrainConfig c = TinyRuns.config(file.resolve("run"), 3, 0);
        assertThatThrownBy(() -> train(c, new StandInBackend(), new LossRecorder(), false))
                .hasMessageContaining(file.toString());
    }

    @Test
    void refusesToOverwriteOrToResumeWithAnotherTrajectory() {
        Path out = tmp.resolve("run");
        train(TinyRuns.config(out, 4, 2), new StandInBackend(), new LossRecorder(), false);
        assertThatThrownBy(() -> train(TinyRuns.config(out, 4, 2), new StandInBackend(), new LossRecorder(), false))
                .isInstanceOf(TrainConfigException.class)
                .hasMessageContaining("already holds checkpoint-4; pass --resume");
        TrainConfig c = TinyRuns.config(out, 8, 2);
        TrainConfig otherSeed = TinyRuns.config(out, 8, 2);
        TrainConfig changed = new TrainConfig(c.source(), c.baseModel(), c.model(), c.tokenizer(), c.data(), c.sequenceLen(),
                c.microBatchSize(), c.gradientAccumulationSteps(), 0.5, c.lrScheduler(), c.cosineMinLrRatio(),
                c.warmupSteps(), c.maxSteps(), c.evalSteps(), c.evalBatches(), c.saveSteps(), 0, c.loggingSteps(),
                c.weightDecay(), c.adamBeta1(), c.adamBeta2(), c.adamEpsilon(), c.maxGradNorm(), otherSeed.seed(), c.outputDir(),
                c.dropout(), c.samplePrompt(), c.sampleTokens());
        assertThatThrownBy(() -> train(changed, new StandInBackend(), new LossRecorder(), true))
                .isInstanceOf(TrainConfigException.class)
                .hasMessageContaining("the config differs from the one that wrote " + out.resolve("checkpoint-4"));
        // a longer step budget is allowed: the run continues from step 5
        LossRecorder more = new LossRecorder();
        train(c, new StandInBackend(), more, true);
        assertThat(more.steps).containsExactly(5L, 6L, 7L, 8L);
    }
}
