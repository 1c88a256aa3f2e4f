package ai.tarka.finetune.lora;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Losses;
import ai.tarka.engine.Tensor;
import ai.tarka.formats.safetensors.SafetensorsFile;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.models.CausalLm;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.ModelWeights;
import ai.tarka.models.Models;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LoRA against bench/pytorch/make_lora_fixtures.py: the adapted model's logits, the adapter gradients and the merged
 * weights within 1e-4 (float32 here, float64 there); the adapter written back has PEFT's key names and config fields.
 */
class LoraParityTest {
    static final Path PARITY = Path.of("../tarka-models/src/test/resources/parity");
    static final Path FIXTURES = Path.of("src/test/resources/lora");
    static final double TOL = 1e-4;

    @TempDir
    Path tmp;

    static CausalLm base(String name) {
        CausalLm model = Models.empty(HfModelConfig.read(PARITY.resolve(name).resolve("config.json")));
        ModelWeights.load(model, PARITY.resolve(name).resolve("model.safetensors"));
        return model;
    }

    static Map<String, Tensor> read(Path file) {
        Map<String, Tensor> out = new HashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorEntry e : f.entries()) out.put(e.name(), Tensor.of(f.readFloats(e.name()), e.intShape()));
        }
        return out;
    }

    static int[] ints(JsonNode n) {
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) a[i] = n.get(i).asInt();
        return a;
    }

    static void assertClose(Tensor actual, Tensor expected, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        float[] a = actual.toArray(), e = expected.toArray();
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]));
        assertThat(worst).as(what + " max abs difference").isLessThanOrEqualTo(TOL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-lora", "llama-dora", "gpt2-lora"})
    void matchesPyTorchAndWritesPeftFormat(String name) throws IOException {
        Path dir = FIXTURES.resolve(name);
        ObjectMapper json = new ObjectMapper();
        JsonNode meta = json.readTree(dir.resolve("reference.json").toFile());
        String baseName = meta.get("base").asText();
        JsonNode batch = json.readTree(PARITY.resolve(baseName).resolve("reference.json").toFile());
        int b = batch.get("batch").asInt(), t = batch.get("seq_len").asInt();
        Map<String, Tensor> ref = read(dir.resolve("reference.safetensors"));
        List<String> warnings = new ArrayList<>();

        LoraModel model = PeftAdapters.load(base(baseName), dir, warnings::add);
        assertThat(warnings).isEmpty();
        assertThat(new TreeSet<>(model.adapters().keySet())).isEqualTo(new TreeSet<>(json.convertValue(meta.get("modules"), List.class)));
        assertThat(model.module().numTrainableParameters()).isLessThan(model.base().module().numParameters() / 2);

        Tensor logits = model.forward(ints(batch.get("input_ids")), null, b, t);
        assertClose(logits, ref.get("logits"), "logits");
        Tensor loss = Losses.crossEntropy(logits, ints(batch.get("targets")), -100);
        assertThat((double) loss.item()).isCloseTo(meta.get("loss").asDouble(), org.assertj.core.data.Offset.offset(TOL));
        loss.backward();
        for (var e : model.adapters().entrySet()) {
            String p = "grad.base_model.model." + e.getKey();
            assertClose(e.getValue().loraA().weight().grad(), ref.get(p + ".lora_A.weight"), p + ".lora_A");
            assertClose(e.getValue().loraB().weight().grad(), ref.get(p + ".lora_B.weight"), p + ".lora_B");
            if (e.getValue().magnitude() != null) {
                assertClose(e.getValue().magnitude().grad(), ref.get(p + ".lora_magnitude_vector"), p + ".lora_magnitude_vector");
            }
        }
        for (var p : model.base().module().namedParameters().values()) assertThat(p.grad()).as(p.name()).isNull();

        Path out = tmp.resolve("adapter");
        JsonNode fixtureConfig = json.readTree(dir.resolve(PeftAdapters.CONFIG).toFile());
        PeftAdapters.save(model, out, fixtureConfig.get("base_model_name_or_path").asText());
        assertThat(json.readTree(out.resolve(PeftAdapters.CONFIG).toFile())).isEqualTo(fixtureConfig);
        assertThat(new TreeSet<>(read(out.resolve(PeftAdapters.WEIGHTS)).keySet()))
                .isEqualTo(new TreeSet<>(read(dir.resolve(PeftAdapters.WEIGHTS)).keySet()));

        CausalLm merged = model.merge();
        for (var e : ModelWeights.export(merged).entrySet()) {
            Tensor expected = ref.get("merged." + e.getKey());
            assertThat(expected).as("reference for " + e.getKey()).isNotNull();
            assertClose(e.getValue(), expected, "merged " + e.getKey());
        }
        assertClose(merged.forward(ints(batch.get("input_ids")), null, b, t), ref.get("logits"), "merged logits");
        assertThat(Files.size(out.resolve(PeftAdapters.WEIGHTS))).isPositive();
    }
}
