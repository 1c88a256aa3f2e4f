package ai.tarka.finetune.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.RopeScaling;
import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.nn.ParameterBuffer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraOptionsTest {
    @TempDir
    Path dir;

    static final ModelConfig LLAMA = new ModelConfig(ModelArchitecture.LLAMA, 30, 16, 2, 2, 1, 20, 16, 1e-5, 10000,
            RopeScaling.none(), false, false, 0, 0, 0, 1);

    static LoraConfig cfg(List<String> targets, String regex, boolean allLinear, String bias, List<String> save, String init) {
        return new LoraConfig(4, 8, 0, targets, regex, allLinear, bias, false, false, save, init, 3);
    }

    @Test
    void targetSelectionFollowsPeftRules() {
        List<String> warnings = new ArrayList<>();
        LoraModel byName = LoraModel.wrap(Models.create(LLAMA, 1), cfg(List.of("q_proj", "mlp.up_proj", "w_pack"), null, false, "none", List.of(), "true"), warnings::add);
        assertThat(byName.adapters().keySet()).containsExactly("model.layers.0.self_attn.q_proj", "model.layers.0.mlp.up_proj",
                "model.layers.1.self_attn.q_proj", "model.layers.1.mlp.up_proj");
        assertThat(warnings).containsExactly("lora: target module 'w_pack' matches no linear layer of the model");
        LoraModel byRegex = LoraModel.wrap(Models.create(LLAMA, 1), cfg(List.of(), ".*layers\\.1\\..*_proj", false, "none", List.of(), "true"), null);
        assertThat(byRegex.adapters()).hasSize(7).allSatisfy((k, v) -> assertThat(k).startsWith("model.layers.1."));
        LoraModel all = LoraModel.wrap(Models.create(LLAMA, 1), cfg(List.of(), null, true, "none", List.of(), "true"), null);
        assertThat(all.adapters()).hasSize(14).doesNotContainKey("lm_head");
        assertThatThrownBy(() -> LoraModel.wrap(Models.create(LLAMA, 1), cfg(List.of("query"), null, false, "none", List.of(), "true"), null))
                .hasMessageContaining("matches no linear layer").hasMessageContaining("q_proj");
    }

    @Test
    void savingAnEmbeddingOrHeadInFullIsWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        LoraModel m = LoraModel.wrap(Models.create(LLAMA, 1), cfg(List.of("q_proj"), null, false, "none", List.of("lm_head", "norm"), "true"),
                warnings::add);
        assertThat(m.savedModules()).containsExactly("lm_head", "model.norm");
        assertThat(warnings).singleElement().asString().contains("modules_to_save 'lm_head'").contains("all 480 of its parameters")
                .contains("about as large");
        assertThat(m.base().module().namedParameters().get("lm_head.weight").requiresGrad()).isTrue();
    }

    @Test
    void onlyAdaptersBiasesAndSavedModulesAreTrained() throws IOException {
        ModelConfig gpt2 = ModelConfig.gpt2(30, 16, 2, 2, 8);
        CausalLm base = Models.create(gpt2, 2);
        LoraModel m = LoraModel.wrap(base, cfg(List.of("c_attn"), null, false, "lora_only", List.of("ln_f"), "gaussian"), null);
        TreeSet<String> trained = new TreeSet<>();
        m.module().namedParameters().forEach((k, p) -> {
            if (p.requiresGrad()) trained.add(k);
        });
        assertThat(trained).containsExactly(
                "adapters.transformer.h.0.attn.c_attn.lora_A.weight", "adapters.transformer.h.0.attn.c_attn.lora_B.weight",
                "adapters.transformer.h.1.attn.c_attn.lora_A.weight", "adapters.transformer.h.1.attn.c_attn.lora_B.weight",
                "base_model.model.transformer.h.0.attn.c_attn.bias", "base_model.model.transformer.h.1.attn.c_attn.bias",
                "base_model.model.transformer.ln_f.bias", "base_model.model.transformer.ln_f.weight");
        long adapterAndExtras = 2 * (4 * 8 + 24 * 4) + 2 * 24 + 2 * 8;
        var view = m.trainableView();
        assertThat(view.numParameters()).isEqualTo(adapterAndExtras);
        ParameterBuffer buffer = ParameterBuffer.flatten(view);
        assertThat(buffer.trainableSize()).isEqualTo(adapterAndExtras);
        assertThat(buffer.slots()).hasSize(8);
        // B starts at zero: the adapted model computes the base model's function
        int[] tokens = {1, 2, 3, 4};
        CausalLm plain = Models.create(gpt2, 2);
        assertThat(m.forward(tokens, null, 1, 4).toArray()).containsExactly(plain.forward(tokens, null, 1, 4).toArray(),
                org.assertj.core.data.Offset.offset(1e-6f));
        PeftAdapters.save(m, dir, "base");
        Map<String, Tensor> saved = LoraParityTest.read(dir.resolve(PeftAdapters.WEIGHTS));
        assertThat(new TreeSet<>(saved.keySet())).containsExactly(
                "base_model.model.transformer.h.0.attn.c_attn.bias", "base_model.model.transformer.h.0.attn.c_attn.lora_A.weight",
                "base_model.model.transformer.h.0.attn.c_attn.lora_B.weight", "base_model.model.transformer.h.1.attn.c_attn.bias",
                "base_model.model.transformer.h.1.attn.c_attn.lora_A.weight", "base_model.model.transformer.h.1.attn.c_attn.lora_B.weight",
                "base_model.model.transformer.ln_f.bias", "base_model.model.transformer.ln_f.weight");
        var json = new ObjectMapper().readTree(dir.resolve(PeftAdapters.CONFIG).toFile());
        assertThat(json.get("init_lora_weights").asText()).isEqualTo("gaussian");
        assertThat(json.get("bias").asText()).isEqualTo("lora_only");
        assertThat(json.get("modules_to_save").get(0).asText()).isEqualTo("ln_f");
        assertThat(json.get("fan_in_fan_out").asBoolean()).isTrue();
        // and it loads back onto a fresh base
        LoraModel back = PeftAdapters.load(Models.create(gpt2, 2), dir, null);
        assertThat(back.adapters().keySet()).isEqualTo(m.adapters().keySet());
    }

    @Test
    void gaussianInitHasStdOneOverRank() {
        LoraConfig c = new LoraConfig(8, 16, 0, List.of("down_proj"), null, false, "none", true, false, List.of(), "gaussian", 5);
        ModelConfig wide = new ModelConfig(ModelArchitecture.LLAMA, 30, 16, 1, 2, 1, 400, 16, 1e-5, 10000,
                RopeScaling.none(), false, false, 0, 0, 0, 1);
        LoraModel m = LoraModel.wrap(Models.create(wide, 1), c, null);
        float[] a = m.adapters().values().iterator().next().loraA().weight().tensor().toArray();
        double sq = 0;
        for (float v : a) sq += v * v;
        assertThat(Math.sqrt(sq / a.length)).isCloseTo(1.0 / 8, org.assertj.core.data.Offset.offset(0.01));
        assertThat(m.adapters().values().iterator().next().scaling()).isCloseTo(16 / Math.sqrt(8), org.assertj.core.data.Offset.offset(1e-12));
    }
}
