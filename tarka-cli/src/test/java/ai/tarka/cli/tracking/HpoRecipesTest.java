package ai.tarka.cli.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tracking.hpo.HpoConfig;
import ai.tarka.train.config.TrainConfig;
import ai.tarka.train.config.TrainConfigReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every search study in recipes/ parses, and the training config it names is a valid one. */
class HpoRecipesTest {
    static List<Path> studies() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "recipes"))) {
            return s.filter(p -> p.toString().endsWith(".yaml") && startsStudy(p)).sorted().toList();
        }
    }

    private static boolean startsStudy(Path p) {
        try {
            return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("study:"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("studies")
    void studyRecipeIsValid(Path recipe) throws IOException {
        HpoConfig c = HpoConfig.read(recipe);
        assertThat(c).isNotNull();
        String text = Files.readString(recipe);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("config: ([\\w./-]+\\.yaml)").matcher(text);
        assertThat(m.find()).as("the study names its training config").isTrue();
        TrainConfig train = TrainConfigReader.read(recipe.resolveSibling(m.group(1)));
        assertThat(train.maxSteps()).isPositive();
    }
}
