package ai.tarka.serve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.tarka.common.SharedData;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import ai.tarka.models.CausalLm;
import ai.tarka.models.LlamaCheckpoints;
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
 * stories260K's GGUF served two ways — F32 packed from the models module (Hugging Face q/k order) and in place from
 * tarka-inference's mapping (GGUF order, rotated as adjacent pairs) — gives the same logits, with and without a PEFT
 * LoRA adapter on q, k, v and down in the same batch: the adapter's q/k rows follow the served order.
 */
class MappedWeightsLoraTest {

    @Test
    void mappedWeightsWithAnAdapterMatchThePackedModel(@TempDir Path dir) throws Exception {
        Path gguf = SharedData.resolve("stories260K").resolve("stories260K.gguf");
        CausalLm lm = LlamaCheckpoints.loadGguf(gguf, 0);
        Random r = new Random(9);
        int rank = 4;
        String[] targets = {"model.layers.0.self_attn.q_proj", "model.layers.1.self_attn.k_proj",
                "model.layers.2.self_attn.v_proj", "model.layers.0.mlp.down_proj", "model.layers.3.self_attn.q_proj"};
        int[][] dims = {{64, 64}, {32, 64}, {32, 64}, {64, 172}, {64, 64}};   // {out, in}
        List<NamedTensor> tensors = new ArrayList<>();
        for (int t = 0; t < targets.length; t++) {
            int out = dims[t][0], in = dims[t][1];
            float[] a = new float[rank * in], b = new float[out * rank];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * 0.3);
            for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextGaussian() * 0.3);
            tensors.add(new NamedTensor("base_model.model." + targets[t] + ".lora_A.weight", new int[] {rank, in}, a));
            tensors.add(new NamedTensor("base_model.model." + targets[t] + ".lora_B.weight", new int[] {out, rank}, b));
        }
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), Map.of("format", "pt"), tensors);
        Files.writeString(dir.resolve("adapter_config.json"), "{\"r\": 4, \"lora_alpha\": 8, \"peft_type\": \"LORA\"}");

        try (LlamaWeights w = ModelLoader.load(gguf, 0)) {
            PagedLlama packed = new PagedLlama(lm), mapped = new PagedLlama(w);
            assertThat(packed.addAdapter("tuned", dir)).isEqualTo(1);
            assertThat(mapped.addAdapter("tuned", dir)).isEqualTo(1);
            int len = 11, vocab = 512;
            int[] tokens = new int[2 * len], pos = new int[2 * len], seqOf = new int[2 * len];
            for (int i = 0; i < len; i++) {
                int t = i == 0 ? 1 : 3 + r.nextInt(500);
                for (int s = 0; s < 2; s++) {
                    tokens[s * len + i] = t;
                    pos[s * len + i] = i;
                    seqOf[s * len + i] = s;
                }
            }
            float[] want = step(packed, tokens, pos, seqOf, len), got = step(mapped, tokens, pos, seqOf, len);
            double adapterEffect = 0;
            for (int v = 0; v < 2 * vocab; v++) {
                assertThat(got[v]).as("logit %d", v).isCloseTo(want[v], within(1e-3f * Math.max(1, Math.abs(want[v]))));
                if (v < vocab) adapterEffect = Math.max(adapterEffect, Math.abs(want[vocab + v] - want[v]));
            }
            assertThat(adapterEffect).as("the adapter changes the logits").isGreaterThan(0.1);
        }
    }

    private static float[] step(PagedLlama m, int[] tokens, int[] pos, int[] seqOf, int len) {
        PagedKvCache cache = new PagedKvCache(m.numLayers(), 8, 4, m.kvDim());
        float[] logits = new float[2 * m.vocabSize()];
        m.forward(new StepBatch(2 * len, tokens, pos, seqOf, new int[][] {{0, 1, 2}, {3, 4, 5}}, 2,
                new int[] {len - 1, 2 * len - 1}, new int[] {0, 1}), cache, logits);
        return logits;
    }
}
