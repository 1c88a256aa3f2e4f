package ai.tarka.train.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.models.ModelArchitecture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainConfigReaderTest {
    private static final Path FILE = Path.of("train.yaml");

    private static final String VALID = """
            model:
              architecture: gpt2
              n_embd: 48
              n_layer: 2
              n_head: 4
            data: data/shakespeare
            sequence_len: 32
            micro_batch_size: 4
            gradient_accumulation_steps: 2
            learning_rate: 1e-3
            lr_scheduler: cosine
            warmup_steps: 10
            max_steps: 100
            eval_steps: 25
            save_steps: 50
            weight_decay: 0.1
            adam_beta2: 0.95
            seed: 7
            output_dir: out/run1
            sample_prompt: "ROMEO:"
            """;

    @Test
    void readsEveryKeyWithDefaultsForTheRest() {
        TrainConfig c = TrainConfigReader.parse(VALID, FILE);
        assertThat(c.model().architecture()).isEqualTo(ModelArchitecture.GPT2);
        assertThat(c.model().hiddenSize()).isEqualTo(48);
        assertThat(c.model().intermediateSize()).isEqualTo(192);
        assertThat(c.model().maxPositions()).isEqualTo(32);
        assertThat(c.model().vocabSize()).isZero();
        assertThat(c.model().tieWordEmbeddings()).isTrue();
        assertThat(c.learningRate()).isEqualTo(1e-3);
        assertThat(c.lrScheduler()).isEqualTo(LrScheduler.COSINE);
        assertThat(c.cosineMinLrRatio()).isEqualTo(0.1);
        assertThat(c.adamBeta1()).isEqualTo(0.9);
        assertThat(c.adamBeta2()).isEqualTo(0.95);
        assertThat(c.tokensPerStep()).isEqualTo(32 * 4 * 2);
        assertThat(c.outputDir()).isEqualTo(Path.of("out/run1"));
        assertThat(c.samplePrompt()).isEqualTo("ROMEO:");
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.model().toModelConfig(65).vocabSize()).isEqualTo(65);
    }

    @Test
    void unknownKeyNamesTheClosestValidOneAndTheLine() {
        String yaml = VALID.replace("learning_rate:", "learning_rat:");
        assertThatThrownBy(() -> TrainConfigReader.parse(yaml, FILE))
                .isInstanceOf(TrainConfigException.class)
                .hasMessage("unknown key 'learning_rat' in train.yaml (line 10); did you mean 'learning_rate'?");
    }

    @Test
    void unknownModelKeyIsQualified() {
        String yaml = VALID.replace("n_head:", "n_heads:");
        assertThatThrownBy(() -> TrainConfigReader.parse(yaml, FILE))
                .hasMessage("unknown key 'model.n_heads' in train.yaml (line 5); did you mean 'model.n_head'?");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "micro_batch_size: 4|micro_batch_size: four|key 'micro_batch_size' (line 8) must be a whole number, got 'four'",
            "micro_batch_size: 4|micro_batch_size: 0|key 'micro_batch_size' (line 8) must be ≥ 1, got 0",
            "adam_beta2: 0.95|adam_beta2: 1.0|key 'adam_beta2' (line 17) must be in [0, 1), got 1.0",
            "lr_scheduler: cosine|lr_scheduler: cosin|key 'lr_scheduler' (line 11) must be one of cosine|linear|constant, got 'cosin'",
            "warmup_steps: 10|warmup_steps: 500|key 'warmup_steps' (line 12) (500) must not exceed max_steps (100)",
            "n_head: 4|n_head: 5|key 'model.hidden_size' (48) must be a multiple of num_attention_heads (5)",
            "learning_rate: 1e-3|learning_rate: [1]|key 'learning_rate' (line 10) must be a number, got a list",
    })
    void wrongValuesNameFileKeyAndLine(String from, String to, String expected) {
        String yaml = VALID.replace(from, to);
        assertThatThrownBy(() -> TrainConfigReader.parse(yaml, FILE))
                .isInstanceOf(TrainConfigException.class)
                .hasMessageStartingWith("train.yaml: ")
                .hasMessageContaining(expected);
    }

    @Test
    void llamaNeedsAnEvenHeadSize() {
        String yaml = VALID.replace("architecture: gpt2", "architecture: llama").replace("n_embd: 48", "n_embd: 20");
        assertThatThrownBy(() -> TrainConfigReader.parse(yaml, FILE))
                .hasMessageContaining("key 'model.hidden_size' (20) / num_attention_heads (4) = 5 is odd; RoPE needs an even head size");
    }

    @Test
    void needsExactlyOneOfModelAndBaseModel() {
        assertThatThrownBy(() -> TrainConfigReader.parse(VALID + "base_model: ckpt\n", FILE))
                .hasMessageContaining("exactly one of 'base_model'");
        assertThatThrownBy(() -> TrainConfigReader.parse("data: x\nlearning_rate: 0.1\nmax_steps: 3\n", FILE))
                .hasMessageContaining("exactly one of 'base_model'");
    }

    @Test
    void missingRequiredKeysAreNamed() {
        assertThatThrownBy(() -> TrainConfigReader.parse(VALID.replace("max_steps: 100\n", "").replace("warmup_steps: 10\n", ""), FILE))
                .hasMessage("train.yaml: missing required key 'max_steps'");
    }

    @Test
    void sequenceLongerThanPositionsIsRejected() {
        String yaml = VALID.replace("  n_head: 4\n", "  n_head: 4\n  n_positions: 16\n");
        assertThatThrownBy(() -> TrainConfigReader.parse(yaml, FILE))
                .hasMessageContaining("key 'sequence_len' (line ").hasMessageContaining("exceeds the model's max_position_embeddings (16)");
    }

    @Test
    void overridesKeepTheRestAndClampWarmup() {
        TrainConfig c = TrainConfigReader.parse(VALID, FILE).withMaxSteps(5).withOutputDir(Path.of("elsewhere"));
        assertThat(c.maxSteps()).isEqualTo(5);
        assertThat(c.warmupSteps()).isEqualTo(5);
        assertThat(c.outputDir()).isEqualTo(Path.of("elsewhere"));
        assertThat(c.learningRate()).isEqualTo(1e-3);
    }
}
