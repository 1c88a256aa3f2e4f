package ai.tarka.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.TrackingStore;
import ai.tarka.tracking.store.ViewType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = TarkaMain.newCommandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path config(String extra) throws IOException {
        StringBuilder text = new StringBuilder();
        SplittableRandom r = new SplittableRandom(5);
        String[] words = {"to ", "be ", "or ", "not ", "that ", "is ", "the ", "question.\n"};
        while (text.length() < 4000) text.append(words[r.nextInt(words.length)]);
        Path corpus = Files.writeString(tmp.resolve("corpus.txt"), text);
        String yaml = """
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
                max_steps: 6
                eval_steps: 3
                eval_batches: 2
                save_steps: 3
                output_dir: %s
                sample_prompt: "to "
                sample_tokens: 5
                """.formatted(corpus, tmp.resolve("out")) + extra;
        return Files.writeString(tmp.resolve("train.yaml"), yaml);
    }

    @Test
    void trainsFromRawTextThenResumesWithMoreSteps() throws IOException {
        Path yaml = config("");
        Result r = run("train", yaml.toString(), "--tracking-dir", tmp.resolve("runs").toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (TrackingStore store = TrackingStore.open(tmp.resolve("runs"))) {
            String exp = store.experimentId("train");
            List<Run> runs = store.runsOf(List.of(exp), ViewType.ACTIVE_ONLY);
            assertThat(runs).hasSize(1);
            Run recorded = runs.get(0);
            assertThat(recorded.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(recorded.params()).containsEntry("learning_rate", "0.01").containsKey("max_steps");
            assertThat(store.metricHistory(recorded.info().runId(), "loss")).hasSize(6);
            assertThat(store.metricHistory(recorded.info().runId(), "val_loss")).hasSize(2);
        }
        assertThat(r.out()).startsWith("trained 6 steps, 144 tokens in ").contains("checkpoint " + tmp.resolve("out/checkpoint-6"));
        Path ck = tmp.resolve("out/checkpoint-6");
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json",
                "trainer_state/state.json", "trainer_state/optimizer.safetensors"}) {
            assertThat(ck.resolve(f)).as(f).isRegularFile();
        }
        assertThat(Files.readString(ck.resolve("config.json"))).contains("\"num_key_value_heads\"");
        assertThat(Files.readAllLines(tmp.resolve("out/metrics.jsonl"))).anyMatch(l -> l.contains("\"val_loss\""));

        Result again = run("train", yaml.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already holds checkpoint-6; pass --resume");

        Result more = run("train", yaml.toString(), "--resume", "--max-steps", "8");
        assertThat(more.code()).as(more.err()).isZero();
        assertThat(more.out()).startsWith("trained 8 steps, 192 tokens");
        assertThat(tmp.resolve("out/checkpoint-8")).isDirectory();
    }

    @Test
    void runsHarnessTasksAtEveryEvaluation() throws IOException {
        Path yaml = config("");
        Result r = run("train", yaml.toString(), "--eval-tasks", "tinyshakespeare_ppl", "--eval-limit", "2",
                "--tracking-dir", tmp.resolve("runs").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("step 3 tasks: tinyshakespeare_ppl/");
        List<String> taskLines = Files.readAllLines(tmp.resolve("out/metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"tasks\"")).toList();
        assertThat(taskLines).hasSize(2).allMatch(l -> l.contains("\"tinyshakespeare_ppl/"));
        try (TrackingStore store = TrackingStore.open(tmp.resolve("runs"))) {
            Run recorded = store.runsOf(List.of(store.experimentId("train")), ViewType.ACTIVE_ONLY).get(0);
            assertThat(recorded.latestMetrics().keySet()).anyMatch(k -> k.startsWith("tinyshakespeare_ppl/"));
        }
    }

    @Test
    void aMisspeltKeyFailsBeforeAnythingRuns() throws IOException {
        Path yaml = config("warmup_step: 3\n");
        Result r = run("train", yaml.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("unknown key 'warmup_step' in " + yaml + " (line 19); did you mean 'warmup_steps'?");
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}
