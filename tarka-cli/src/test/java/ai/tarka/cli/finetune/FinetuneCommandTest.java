package ai.tarka.cli.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import ai.tarka.common.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** tarka finetune preprocess --debug, tarka finetune (LoRA) and tarka merge on the real stories260K model. */
class FinetuneCommandTest {
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

    private Path config() throws IOException {
        Files.writeString(tmp.resolve("chat.jsonl"), """
                {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello there."}]}
                {"messages": [{"role": "user", "content": "Name a color."}, {"role": "assistant", "content": "Blue."}]}
                {"messages": [{"role": "user", "content": "Say yes."}, {"role": "assistant", "content": "Yes."}]}
                """);
        return Files.writeString(tmp.resolve("ft.yaml"), "base_model: " + SharedData.resolve("stories260K/stories260K.gguf") + "\n"
                + "datasets:\n  - path: chat.jsonl\n    type: chat_template\nchat_template: chatml\nval_set_size: 1\n"
                + "sequence_len: 64\nadapter: lora\nlora_r: 2\nlora_target_modules: [q_proj, v_proj]\nmicro_batch_size: 1\n"
                + "max_steps: 2\nlearning_rate: 0.01\noutput_dir: " + tmp.resolve("out") + "\n");
    }

    @Test
    void preprocessTrainAndMerge() throws IOException {
        Path cfg = config();
        Result pre = run("finetune", "preprocess", cfg.toString(), "--debug", "--samples", "1");
        assertThat(pre.code()).as(pre.err()).isZero();
        assertThat(pre.out()).contains("2 training examples").contains("chat template: chatml").contains(", 1) ")
                .contains("trained: ");
        Result train = run("finetune", cfg.toString(), "--eval-tasks", "tinystories_ppl", "--eval-limit", "1",
                "--tracking-dir", tmp.resolve("runs").toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("fine-tuned 2 steps");
        assertThat(train.err()).contains("step 2 tasks: tinystories_ppl/");
        try (ai.tarka.tracking.store.TrackingStore store = ai.tarka.tracking.store.TrackingStore.open(tmp.resolve("runs"))) {
            var runs = store.runsOf(java.util.List.of(store.experimentId("finetune")), ai.tarka.tracking.store.ViewType.ACTIVE_ONLY);
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).info().status()).isEqualTo(ai.tarka.tracking.store.RunStatus.FINISHED);
            assertThat(runs.get(0).params()).containsEntry("adapter", "LORA");
            assertThat(store.metricHistory(runs.get(0).info().runId(), "loss")).hasSize(2);
            assertThat(runs.get(0).latestMetrics().keySet()).anyMatch(k -> k.startsWith("tinystories_ppl/"));
        }
        assertThat(tmp.resolve("out/adapter_model.safetensors")).exists();
        Result merge = run("merge", "--base", SharedData.resolve("stories260K/stories260K.gguf").toString(),
                "--adapter", tmp.resolve("out").toString(), "-o", tmp.resolve("merged").toString());
        assertThat(merge.code()).as(merge.err()).isZero();
        assertThat(tmp.resolve("merged/model.safetensors")).exists();
        assertThat(tmp.resolve("merged/config.json")).exists();
    }
}
