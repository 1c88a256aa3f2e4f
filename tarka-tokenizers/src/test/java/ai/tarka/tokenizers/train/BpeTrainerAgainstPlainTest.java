package ai.tarka.tokenizers.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The incremental trainer learns the same merges as the recount-everything reference, ties included. */
class BpeTrainerAgainstPlainTest {

    static Stream<Arguments> texts() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        Random rnd = new Random(7);
        // Small alphabets: many equal counts, runs of one letter (overlapping pairs), multi-byte characters.
        String[] alphabets = {"ab ", "aab b  ", "xyz é\n", "ab'sé€ \n1.", "aaaa  b"};
        for (int c = 0; c < 10; c++) {
            String alphabet = alphabets[c % alphabets.length];
            int length = 200 + rnd.nextInt(3_000);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < length; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            cases.add(Arguments.of("random " + c, sb.toString(), 1 + rnd.nextInt(120), 1 + rnd.nextInt(3)));
        }
        String stories = Files.readString(SharedData.resolve("cs336-bpe-fixtures/tinystories_sample.txt"))
                .replace("<|endoftext|>", "");
        cases.add(Arguments.of("tinystories", stories, 300, 1));
        cases.add(Arguments.of("german", Files.readString(SharedData.resolve("cs336-bpe-fixtures/german.txt")), 200, 1));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {2} merges, min frequency {3}")
    @MethodSource("texts")
    void sameMergesAsThePlainReference(String name, String text, int budget, long minFrequency) {
        var options = BpeTrainerOptions.of(256 + budget).withMinPairFrequency(minFrequency).withCountingThreads(2);
        TrainedBpe bpe = new BpeTrainer(options).train(text, TrainingProgress.NONE);
        List<String> expected = PlainBpeTrainer.merges(text, PreTokenizerPatterns.GPT2_PATTERN, budget, minFrequency);
        assertThat(expected).isNotEmpty();
        assertThat(bpe.merges().stream().map(BpeMerge::toString).toList()).containsExactlyElementsOf(expected);
    }
}
