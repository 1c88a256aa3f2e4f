package ai.tarka.train.config;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.models.ModelArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped recipe is a valid config (the reader rejects unknown keys and bad values). */
class RecipesTest {
    static List<Path> recipes() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "recipes"))) {
            // fine-tuning recipes (a top-level 'datasets' list) are tarka finetune's, checked in tarka-finetune;
            // search studies (a top-level 'study') are tarka hpo's, checked in tarka-cli's HpoRecipesTest
            return s.filter(p -> p.toString().endsWith(".yaml") && !isFinetuneRecipe(p) && !startsAKey(p, "study:")).sorted().toList();
        }
    }

    private static boolean startsAKey(Path p, String key) {
        try {
            return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith(key));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isFinetuneRecipe(Path p) {
        try {
            return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("datasets:"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void recipeIsValid(Path recipe) {
        TrainConfig c = TrainConfigReader.read(recipe);
        assertThat(c.model()).isNotNull();
        assertThat(c.model().architecture()).isIn(ModelArchitecture.GPT2, ModelArchitecture.LLAMA);
        assertThat(c.maxSteps()).isGreaterThan(c.warmupSteps());
        assertThat(c.model().maxPositions()).isGreaterThanOrEqualTo(c.sequenceLen());
    }

    @org.junit.jupiter.api.Test
    void theThreeRecipesShip() throws IOException {
        assertThat(recipes()).extracting(p -> p.getFileName().toString())
                .contains("shakespeare-char.yaml", "gpt2-small-shakespeare.yaml", "llama-tiny-shakespeare.yaml");
    }
}
