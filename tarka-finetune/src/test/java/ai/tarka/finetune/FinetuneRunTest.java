package ai.tarka.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.finetune.config.FinetuneConfig;
import ai.tarka.finetune.config.FinetuneConfigException;
import ai.tarka.finetune.config.FinetuneConfigReader;
import ai.tarka.finetune.data.DatasetException;
import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.finetune.lora.PeftAdapters;
import ai.tarka.train.TrainingListener.TrainSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the real stories260K model (GGUF): config checks, LoRA/QLoRA/full runs, PEFT output, exact resume. */
class FinetuneRunTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path alpaca() throws IOException {
        StringBuilder sb = new StringBuilder("[");
        String[] names = {"Tim", "Sue", "Max", "Lily", "Ben", "Amy", "Tom", "Mia", "Sam", "Zoe", "Leo", "Ann"};
        for (int i = 0; i < names.length; i++) {
            if (i > 0) sb.append(",\n");
            sb.append("{\"instruction\": \"Who is in the story?\", \"input\": \"").append(names[i])
                    .append(" went to the park.\", \"output\": \"").append(names[i]).append(".\"}");
        }
        return write("data.json", sb.append("]").toString());
    }

    private String config(String adapter, String extra) throws IOException {
        alpaca();
        return "base_model: " + SharedData.resolve("stories260K/stories260K.gguf") + "\n"
                + "datasets:\n  - path: data.json\n    type: alpaca\n"
                + "val_set_size: 2\nsequence_len: 64\nsample_packing: true\n"
                + (adapter == null ? "" : "adapter: " + adapter + "\nlora_r: 4\nlora_alpha: 8\nlora_target_modules: [q_proj, v_proj, nope_proj]\n")
                + "micro_batch_size: 2\ngradient_accumulation_steps: 1\nlearning_rate: 0.01\nwarmup_steps: 1\n"
                + "save_steps: 2\nseed: 7\n" + extra;
    }

    private FinetuneConfig read(String yaml) throws IOException {
        return FinetuneConfigReader.read(write("ft.yaml", yaml));
    }

    @Test
    void loraRunWritesPeftAdapterAndResumesExactly() throws IOException {
        List<String> warnings = new ArrayList<>();
        FinetuneConfig full = read(config("lora", "max_steps: 4\noutput_dir: " + dir.resolve("a") + "\n"));
        Finetune run = Finetune.prepare(full, warnings::add);
        assertThat(warnings).anyMatch(w -> w.contains("'nope_proj' matches no linear layer"));
        assertThat(run.model().module().numTrainableParameters()).isLessThan(run.model().module().numParameters() / 10);
        TrainSummary s = run.run(false, null);
        assertThat(s.steps()).isEqualTo(4);
        assertThat(dir.resolve("a").resolve(PeftAdapters.CONFIG)).exists();
        assertThat(dir.resolve("a/checkpoint-2").resolve(PeftAdapters.WEIGHTS)).exists();
        assertThat(dir.resolve("a/checkpoint-2/model.safetensors")).doesNotExist();

        // an interrupted run: only checkpoint-2 survived; resuming reproduces the uninterrupted adapter bit for bit
        copyTree(dir.resolve("a/checkpoint-2"), dir.resolve("b/checkpoint-2"));
        TrainSummary resumed = Finetune.prepare(read(config("lora", "max_steps: 4\noutput_dir: " + dir.resolve("b") + "\n")), null).run(true, null);
        assertThat(resumed.steps()).isEqualTo(4);
        assertThat(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("b").resolve(PeftAdapters.WEIGHTS)),
                Files.readAllBytes(dir.resolve("a").resolve(PeftAdapters.WEIGHTS)))).as("resumed adapter equals uninterrupted").isTrue();

        // tarka merge: the merged model gives the adapted model's logits
        Path merged = dir.resolve("merged");
        var m = AdapterMerge.merge(full.baseModel(), dir.resolve("a"), merged, null);
        LoraModel reloaded = PeftAdapters.load(BaseModels.load(full.baseModel(), 64), dir.resolve("a"), null);
        int[] tokens = {1, 40, 50, 60, 70};
        assertThat(m.forward(tokens, null, 1, 5).toArray())
                .containsExactly(reloaded.forward(tokens, null, 1, 5).toArray(), org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(merged.resolve("model.safetensors")).exists();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    @Test
    void qloraAndFullRunsTrain() throws IOException {
        TrainSummary q = Finetune.prepare(read(config("qlora", "max_steps: 2\noutput_dir: " + dir.resolve("q") + "\ngradient_checkpointing: true\n")), null).run(false, null);
        assertThat(q.finalTrainLoss()).isFinite();
        assertThat(dir.resolve("q").resolve(PeftAdapters.WEIGHTS)).exists();
        TrainSummary f = Finetune.prepare(read(config(null, "max_steps: 2\noutput_dir: " + dir.resolve("f") + "\nfrozen_modules: [model.embed_tokens]\n")), null)
                .run(false, null);
        assertThat(f.finalTrainLoss()).isFinite();
        assertThat(dir.resolve("f/model.safetensors")).exists();
    }

    @Test
    void examplesLongerThanSequenceLenAreDroppedTruncatedOrRefused() throws IOException {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 10; i++) sb.append("{\"instruction\": \"Name one.\", \"output\": \"Tim").append(i).append(".\"},\n");
        String story = "Tim went to the park and saw a big red ball. ".repeat(12);
        sb.append("{\"instruction\": \"Tell a story.\", \"output\": \"").append(story).append("\"},\n");
        sb.append("{\"instruction\": \"Tell it again.\", \"output\": \"").append(story).append("\"}]");
        write("long.json", sb.toString());
        String base = config(null, "max_steps: 1\n").replace("path: data.json", "path: long.json");

        List<String> warnings = new ArrayList<>();
        FinetuneData dropped = Finetune.prepare(read(base), warnings::add).data();   // Axolotl's default: drop
        assertThat(dropped.train().size() + dropped.validation().size()).isEqualTo(10);
        assertThat(dropped.train()).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(64));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("2 of 12 examples are longer than sequence_len 64").contains("left out"));

        warnings.clear();
        FinetuneData truncated = Finetune.prepare(read(base + "excess_length_strategy: truncate\n"), warnings::add).data();
        assertThat(truncated.train().size() + truncated.validation().size()).isEqualTo(12);
        assertThat(truncated.train().stream().mapToInt(t -> t.length()).max().orElseThrow()).isGreaterThan(64);

        assertThatThrownBy(() -> Finetune.prepare(read(base + "excess_length_strategy: raise\n"), null))
                .isInstanceOf(DatasetException.class).hasMessageContaining("long.json record 1").hasMessageContaining("longer than sequence_len 64");
        assertThatThrownBy(() -> read(base + "excess_length_strategy: cut\n"))
                .isInstanceOf(FinetuneConfigException.class).hasMessageContaining("excess_length_strategy").hasMessageContaining("drop, truncate, raise");
    }

    @Test
    void problemsStopBeforeTraining() throws IOException {
        String noMatch = config("lora", "max_steps: 2\n").replace("[q_proj, v_proj, nope_proj]", "[qq_proj]");
        assertThatThrownBy(() -> Finetune.prepare(read(noMatch), null))
                .isInstanceOf(FinetuneConfigException.class).hasMessageContaining("matches no linear layer").hasMessageContaining("q_proj");
        write("cols.jsonl", "{\"question\": \"q\", \"answer\": \"a\"}\n");
        String badColumn = config(null, "max_steps: 2\n").replace("path: data.json", "path: cols.jsonl");
        assertThatThrownBy(() -> Finetune.prepare(read(badColumn), null))
                .isInstanceOf(DatasetException.class).hasMessageContaining("unknown column 'instruction'");
        write("empty.jsonl", "");
        String empty = config(null, "max_steps: 2\n").replace("path: data.json", "path: empty.jsonl");
        assertThatThrownBy(() -> Finetune.prepare(read(empty), null)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> read(config(null, "max_steps: 2\nlearnig_rate: 1\n")))
                .hasMessageContaining("unknown key 'learnig_rate'").hasMessageContaining("did you mean 'learning_rate'");
    }
}
