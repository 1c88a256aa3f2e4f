package ai.tarka.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelWeightsTest {

    static Stream<ModelConfig> configs() {
        return Stream.of(TestModels.gpt2(), TestModels.llama(), TestModels.mistral(), TestModels.qwen2());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void exportThenLoadGivesTheSameLogits(ModelConfig config) {
        CausalLm a = Models.create(config, 7);
        CausalLm b = Models.empty(config);
        ModelWeights.load(b, new InMemoryTensors("exported", ModelWeights.export(a)));
        int[] ids = new Random(1).ints(10, 0, config.vocabSize()).toArray();
        assertThat(b.forward(ids, null, 2, 5).toArray()).containsExactly(a.forward(ids, null, 2, 5).toArray());
    }

    @Test
    void saveThenLoadThroughSafetensors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        for (ModelConfig config : new ModelConfig[] {TestModels.gpt2(), TestModels.qwen2()}) {
            CausalLm a = Models.create(config, 11);
            java.nio.file.Path file = dir.resolve(config.architecture() + ".safetensors");
            ModelWeights.save(a, file);
            CausalLm b = Models.empty(config);
            ModelWeights.load(b, file);
            int[] ids = {1, 5, 9, 2};
            assertThat(b.forward(ids, null, 1, 4).toArray()).containsExactly(a.forward(ids, null, 1, 4).toArray());
        }
    }

    @Test
    void gpt2ExportsHfNamesAndConv1dLayout() {
        ModelConfig c = TestModels.gpt2();
        LinkedHashMap<String, Tensor> w = ModelWeights.export(Models.create(c, 1));
        int h = c.hiddenSize();
        assertThat(w.get("transformer.h.0.attn.c_attn.weight").shape()).containsExactly(h, 3 * h);
        assertThat(w.get("transformer.h.1.mlp.c_fc.weight").shape()).containsExactly(h, 4 * h);
        assertThat(w.get("transformer.h.1.mlp.c_proj.weight").shape()).containsExactly(4 * h, h);
        assertThat(w).containsKeys("transformer.wte.weight", "transformer.wpe.weight", "transformer.ln_f.bias",
                "transformer.h.0.ln_1.weight", "transformer.h.0.attn.c_attn.bias");
        assertThat(w).doesNotContainKey("lm_head.weight");   // tied
    }

    @Test
    void llamaExportsHfNames() {
        LinkedHashMap<String, Tensor> w = ModelWeights.export(Models.create(TestModels.qwen2(), 1));
        assertThat(w).containsKeys("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
                "model.layers.1.self_attn.k_proj.bias", "model.layers.0.mlp.gate_proj.weight",
                "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight",
                "model.norm.weight", "lm_head.weight");
        assertThat(w.get("model.layers.0.self_attn.k_proj.weight").shape()).containsExactly(6, 24);
        assertThat(w).doesNotContainKey("model.layers.0.self_attn.o_proj.bias");
    }

    @Test
    void gpt2LoadsOriginalCheckpointNamesWithoutPrefixAndSkipsMaskBuffers() {
        ModelConfig c = TestModels.gpt2();
        CausalLm a = Models.create(c, 3);
        LinkedHashMap<String, Tensor> bare = new LinkedHashMap<>();
        ModelWeights.export(a).forEach((k, v) -> bare.put(k.substring("transformer.".length()), v));
        bare.put("h.0.attn.bias", Tensor.ones(1, 1, 40, 40));
        bare.put("lm_head.weight", bare.get("wte.weight"));
        CausalLm b = Models.empty(c);
        ModelWeights.load(b, new InMemoryTensors("gpt2 original", bare));
        int[] ids = {1, 2, 3};
        assertThat(b.forward(ids, null, 1, 3).toArray()).containsExactly(a.forward(ids, null, 1, 3).toArray());
    }

    @Test
    void mismatchesAreAllListedAndNothingIsCopied() {
        ModelConfig c = TestModels.llama();
        LinkedHashMap<String, Tensor> w = ModelWeights.export(Models.create(c, 3));
        w.remove("model.layers.1.mlp.up_proj.weight");
        w.put("model.layers.0.self_attn.k_proj.weight", Tensor.zeros(24, 24));
        w.put("model.extra.weight", Tensor.zeros(2));
        CausalLm target = Models.create(c, 5);
        float[] before = target.module().parameter("model.norm.weight").tensor().toArray();
        assertThatThrownBy(() -> ModelWeights.load(target, new InMemoryTensors("ckpt/model.safetensors", w)))
                .isInstanceOf(WeightMismatchException.class)
                .hasMessageContaining("ckpt/model.safetensors")
                .hasMessageContaining("model.layers.0.self_attn.k_proj.weight: expected [12, 24], got [24, 24]")
                .hasMessageContaining("missing tensors: model.layers.1.mlp.up_proj.weight")
                .hasMessageContaining("unexpected tensors: model.extra.weight");
        assertThat(target.module().parameter("model.norm.weight").tensor().toArray()).containsExactly(before);
    }

    @Test
    void metaRowOrderBecomesHfRowOrder() {
        // one head of D = 4 over in = 1: Meta rows (pairs adjacent) 0,1,2,3 = (x0, y0, x1, y1) → HF (x0, x1, y0, y1)
        float[] meta = {10, 11, 20, 21, 30, 31, 40, 41};
        assertThat(LlamaCheckpoints.metaToHfRows(meta, 2, 4, 1)).containsExactly(10, 20, 11, 21, 30, 40, 31, 41);
    }
}
