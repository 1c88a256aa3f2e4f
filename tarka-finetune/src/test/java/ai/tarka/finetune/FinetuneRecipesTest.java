package ai.tarka.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.finetune.config.AdapterKind;
import ai.tarka.finetune.config.FinetuneConfig;
import ai.tarka.finetune.config.FinetuneConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped instruction-tuning recipes are valid configs over the same data, split, batch and schedule. */
class FinetuneRecipesTest {

    @ParameterizedTest
    @CsvSource({"instruct-full.yaml, FULL", "instruct-lora.yaml, LORA", "instruct-qlora.yaml, QLORA"})
    void recipeIsValid(String name, AdapterKind kind) {
        FinetuneConfig c = FinetuneConfigReader.read(Path.of("..", "recipes", name));
        assertThat(c.adapter()).isEqualTo(kind);
        assertThat(c.datasets()).hasSize(2).allSatisfy(d -> assertThat(Files.isRegularFile(d.path())).as(d.path().toString()).isTrue());
        assertThat(Files.exists(c.baseModel())).isTrue();
        assertThat(c.sequenceLen()).as("the base model's whole context").isEqualTo(512);
        assertThat(c.excessLength()).as("no trained example without its EOS").isEqualTo(ai.tarka.finetune.config.ExcessLengthStrategy.DROP);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.gradientCheckpointing()).as("the same memory recipe in every variant").isTrue();
        if (kind != AdapterKind.FULL) assertThat(c.lora().allLinear()).isTrue();
    }
}
