package ai.tarka.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.RopeScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HfModelConfigTest {
    @TempDir
    Path dir;

    static Stream<ModelConfig> configs() {
        return Stream.of(TestModels.gpt2(), TestModels.llama(), TestModels.mistral(), TestModels.qwen2(),
                new ModelConfig(ModelArchitecture.LLAMA, 100, 32, 3, 4, 2, 40, 64, 1e-6, 1e6, RopeScaling.none(), true,
                        true, 7, 0, 1, 2),
                new ModelConfig(ModelArchitecture.LLAMA, 100, 32, 1, 4, 2, 40, 64, 1e-5, 500000,
                        RopeScaling.llama3(8, 1, 4, 8192), true, false, 0, 0, 128000, 128001),
                new ModelConfig(ModelArchitecture.ENCODER, 50, 16, 2, 2, 2, 64, 32, 1e-5, 0, RopeScaling.none(), false,
                        true, 0, 3, -1, -1));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void writeThenReadGivesTheSameConfig(ModelConfig config) {
        Path file = dir.resolve("config.json");
        HfModelConfig.write(config, file);
        assertThat(HfModelConfig.read(file)).isEqualTo(config);
        assertThat(dir.toFile().list()).containsExactly("config.json");
    }

    private Path json(String text) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void realConfigsUseTheFamilyDefaults() throws IOException {
        ModelConfig gpt2 = HfModelConfig.read(json("""
                {"model_type": "gpt2", "n_embd": 768, "n_layer": 12, "n_head": 12, "n_positions": 1024, "vocab_size": 50257,
                 "activation_function": "gelu_new", "layer_norm_epsilon": 1e-05, "architectures": ["GPT2LMHeadModel"]}"""));
        assertThat(gpt2).isEqualTo(new ModelConfig(ModelArchitecture.GPT2, 50257, 768, 12, 12, 12, 3072, 1024, 1e-5, 0,
                RopeScaling.none(), true, true, 0, 0, 50256, 50256));

        ModelConfig llama3 = HfModelConfig.read(json("""
                {"model_type": "llama", "hidden_size": 2048, "num_hidden_layers": 16, "num_attention_heads": 32,
                 "num_key_value_heads": 8, "intermediate_size": 8192, "vocab_size": 128256, "rms_norm_eps": 1e-05,
                 "max_position_embeddings": 131072, "rope_theta": 500000.0, "tie_word_embeddings": true,
                 "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"},
                 "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009]}"""));
        assertThat(llama3.numKvHeads()).isEqualTo(8);
        assertThat(llama3.ropeScaling()).isEqualTo(RopeScaling.llama3(32, 1, 4, 8192));
        assertThat(llama3.eosTokenId()).isEqualTo(128001);
        assertThat(llama3.tieWordEmbeddings()).isTrue();

        ModelConfig mistral = HfModelConfig.read(json("""
                {"model_type": "mistral", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
                 "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 32000}"""));
        assertThat(mistral.slidingWindow()).isEqualTo(4096);
        assertThat(mistral.normEps()).isEqualTo(1e-6);

        ModelConfig qwen = HfModelConfig.read(json("""
                {"model_type": "qwen2", "hidden_size": 896, "num_hidden_layers": 24, "num_attention_heads": 14,
                 "num_key_value_heads": 2, "intermediate_size": 4864, "vocab_size": 151936, "tie_word_embeddings": true,
                 "use_sliding_window": false, "sliding_window": 32768, "rope_theta": 1000000.0}"""));
        assertThat(qwen.attentionBias()).isTrue();
        assertThat(qwen.slidingWindow()).isZero();
        assertThat(qwen.numKvHeads()).isEqualTo(2);
    }

    @Test
    void errorsNameTheFileAndTheKey() throws IOException {
        Path f = json("{\"model_type\": \"llama\", \"hidden_size\": \"big\"}");
        assertThatThrownBy(() -> HfModelConfig.read(f)).hasMessageContaining(f.toString()).hasMessageContaining("'hidden_size'");
        Path g = json("{\"model_type\": \"bert\"}");
        assertThatThrownBy(() -> HfModelConfig.read(g)).hasMessageContaining(g.toString()).hasMessageContaining("'model_type'")
                .hasMessageContaining("bert");
        Path h = json("{\"model_type\": \"llama\", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}}");
        assertThatThrownBy(() -> HfModelConfig.read(h)).hasMessageContaining(h.toString()).hasMessageContaining("'rope_scaling'")
                .hasMessageContaining("yarn");
        Path i = json("{\"model_type\": \"llama\", \"hidden_size\": 30, \"num_attention_heads\": 4}");
        assertThatThrownBy(() -> HfModelConfig.read(i)).hasMessageContaining(i.toString()).hasMessageContaining("hidden_size 30");
        Path j = json("{\"model_type\": \"llama\", \"rope_scaling\": {\"rope_type\": \"linear\"}}");
        assertThatThrownBy(() -> HfModelConfig.read(j)).hasMessageContaining("'rope_scaling.factor'");
        Path w = json("{\"model_type\": \"qwen2\", \"use_sliding_window\": true, \"max_window_layers\": 21}");
        assertThatThrownBy(() -> HfModelConfig.read(w)).hasMessageContaining(w.toString()).hasMessageContaining("'max_window_layers'");
        Path k = json("{\"model_type\": \"gpt2\",");
        assertThatThrownBy(() -> HfModelConfig.read(k)).hasMessageContaining(k.toString());
    }
}
