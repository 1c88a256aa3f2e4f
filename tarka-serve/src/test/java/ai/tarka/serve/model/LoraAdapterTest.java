package ai.tarka.serve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;
import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.nn.Parameter;
import ai.tarka.serve.kv.PagedKvCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PEFT LoRA adapter applied in the batched step equals the merged model {@code W + scaling·B·A}, while a base-model
 * sequence in the same batch is untouched.
 */
class LoraAdapterTest {

    @Test
    void adapterSequenceMatchesTheMergedModelAndBaseSequenceTheBase(@TempDir Path dir) throws Exception {
        ModelConfig cfg = ModelConfig.llama(31, 32, 2, 4, 2, 24, 26);
        CausalLm base = StrongModels.strong(cfg, 21), merged = StrongModels.strong(cfg, 21);
        Random r = new Random(4);
        int rank = 3;
        double alpha = 5;
        float scaling = (float) (alpha / rank);
        String[] targets = {"model.layers.0.self_attn.q_proj", "model.layers.1.self_attn.v_proj", "model.layers.0.mlp.down_proj",
                "model.layers.1.mlp.gate_proj", "model.layers.1.self_attn.o_proj"};
        List<NamedTensor> tensors = new ArrayList<>();
        Map<String, Parameter> params = merged.module().namedParameters();
        for (String t : targets) {
            Parameter w = params.get(t + ".weight");
            int out = w.shape()[0], in = w.shape()[1];
            float[] a = new float[rank * in], b = new float[out * rank];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * 0.3);
            for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextGaussian() * 0.3);
            tensors.add(new NamedTensor("base_model.model." + t + ".lora_A.weight", new int[] {rank, in}, a));
            tensors.add(new NamedTensor("base_model.model." + t + ".lora_B.weight", new int[] {out, rank}, b));
            float[] wm = w.tensor().toArray();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    float s = 0;
                    for (int j = 0; j < rank; j++) s += b[o * rank + j] * a[j * in + i];
                    wm[o * in + i] += scaling * s;
                }
            }
            Strided.assign(w.tensor().detach(), Tensor.of(wm, out, in));
        }
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), Map.of("format", "pt"), tensors);
        Files.writeString(dir.resolve("adapter_config.json"), "{\"r\": 3, \"lora_alpha\": 5, \"peft_type\": \"LORA\"}");

        PagedLlama paged = new PagedLlama(base);
        int id = paged.addAdapter("tuned", dir);
        assertThat(id).isEqualTo(1);
        int len = 9;
        int[] prompt = new int[len];
        for (int i = 0; i < len; i++) prompt[i] = r.nextInt(31);
        PagedKvCache cache = new PagedKvCache(2, 8, 5, cfg.numKvHeads() * cfg.headDim());
        int[] tokens = new int[2 * len], pos = new int[2 * len], seqOf = new int[2 * len];
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < len; i++) {
                tokens[s * len + i] = prompt[i];
                pos[s * len + i] = i;
                seqOf[s * len + i] = s;
            }
        }
        float[] logits = new float[2 * 31];
        paged.forward(new StepBatch(2 * len, tokens, pos, seqOf, new int[][] {{0, 1}, {2, 3}}, 2,
                new int[] {len - 1, 2 * len - 1}, new int[] {0, id}), cache, logits);
        float[] wantBase = base.forward(prompt, null, 1, len).slice(1, len - 1, len).toArray();
        float[] wantMerged = merged.forward(prompt, null, 1, len).slice(1, len - 1, len).toArray();
        double diff = 0;
        for (int v = 0; v < 31; v++) {
            assertThat(logits[v]).isCloseTo(wantBase[v], within(2e-3f * Math.max(1, Math.abs(wantBase[v]))));
            assertThat(logits[31 + v]).isCloseTo(wantMerged[v], within(2e-3f * Math.max(1, Math.abs(wantMerged[v]))));
            diff = Math.max(diff, Math.abs(wantMerged[v] - wantBase[v]));
        }
        assertThat(diff).as("the adapter changes the logits").isGreaterThan(0.1);
    }

    @Test
    void unsupportedTensorsAndShapesAreRefusedByName(@TempDir Path dir) throws Exception {
        ModelConfig cfg = ModelConfig.llama(31, 32, 2, 4, 2, 24, 26);
        PagedLlama paged = new PagedLlama(StrongModels.strong(cfg, 1));
        Files.writeString(dir.resolve("adapter_config.json"), "{\"r\": 2, \"lora_alpha\": 4}");
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), Map.of(), List.of(
                new NamedTensor("base_model.model.lm_head.weight", new int[] {31, 24}, new float[31 * 24])));
        assertThatThrownBy(() -> paged.addAdapter("x", dir)).hasMessageContaining("lm_head.weight");
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), Map.of(), List.of(
                new NamedTensor("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", new int[] {3, 24}, new float[72]),
                new NamedTensor("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", new int[] {24, 2}, new float[48])));
        assertThatThrownBy(() -> paged.addAdapter("x", dir)).hasMessageContaining("q_proj.lora_A.weight").hasMessageContaining("[2, 24]");
    }
}
