package ai.tarka.eval.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.Tensor;
import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.models.CausalLm;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.ModelWeights;
import ai.tarka.models.Models;
import ai.tarka.tokenizers.chars.CharTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {
    @TempDir
    Path dir;

    @Test
    void loadsAHuggingFaceFolderAsATrainerCheckpointNamesIt() throws Exception {
        String corpus = "to be or not to be, that is the question";
        CharTokenizer tok = CharTokenizer.fromText(corpus);
        ModelConfig config = ModelConfig.gpt2(tok.vocabSize(), 48, 2, 2, 20);
        CausalLm model = Models.create(config, 17);
        Path ckpt = dir.resolve("run").resolve("checkpoint-9");
        Files.createDirectories(ckpt);
        HfModelConfig.write(config, ckpt.resolve("config.json"));
        List<NamedTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : ModelWeights.export(model).entrySet()) {
            tensors.add(new NamedTensor(e.getKey(), e.getValue().shape(), e.getValue().toArray()));
        }
        SafetensorsWriter.write(ckpt.resolve("model.safetensors"), Map.of(), tensors);
        tok.write(ckpt.resolve("tokenizer.json"));

        CausalLmScorer loaded = ModelLoader.load(ckpt.toString(), null);
        assertThat(loaded.name()).isEqualTo("run/checkpoint-9");
        int[] ids = loaded.encode("to be or not");
        double[][] want = new CausalLmScorer("x", model, tok, -1, -1).tokenLogProbs(List.of(ids), new int[] {1});
        assertThat(loaded.tokenLogProbs(List.of(ids), new int[] {1})).isDeepEqualTo(want);
        // characters outside a char vocabulary are left out and counted instead of failing the whole task
        assertThat(loaded.encode("to bee!")).hasSize(6);
        assertThat(loaded.droppedCharacters()).isEqualTo(1);
    }

    @Test
    void aMissingModelIsNamed() {
        assertThatThrownBy(() -> ModelLoader.load(dir.resolve("nope").toString(), null))
                .hasMessageContaining("nope").hasMessageContaining("no such file");
    }
}
