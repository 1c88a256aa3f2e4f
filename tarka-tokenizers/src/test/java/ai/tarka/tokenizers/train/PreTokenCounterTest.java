package ai.tarka.tokenizers.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The threaded, cut-up counting equals one plain regex scan per special-token-separated piece. */
class PreTokenCounterTest {

    static Stream<Arguments> texts() throws IOException {
        String corpus = Files.readString(SharedData.resolve("cs336-bpe-fixtures/corpus.en"));
        String stories = Files.readString(SharedData.resolve("cs336-bpe-fixtures/tinystories_sample.txt"));
        Random rnd = new Random(42);
        String alphabet = "ab \n\n  c1.'s\tXé<|endoftext|>";
        StringBuilder random = new StringBuilder();
        for (int i = 0; i < 30_011; i++) random.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        List<Arguments> cases = new ArrayList<>();
        for (int threads : new int[] {1, 3, 4}) {
            cases.add(Arguments.of("corpus.en", corpus, threads));
            cases.add(Arguments.of("tinystories", stories.repeat(7), threads));
            cases.add(Arguments.of("random", random.toString(), threads));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {2} threads")
    @MethodSource("texts")
    void countsEqualAPlainScan(String name, String text, int threads) {
        List<String> specials = List.of("<|endoftext|>");
        var options = BpeTrainerOptions.of(1000).withSpecialTokens(specials).withCountingThreads(threads);
        PreTokenCounts counts = PreTokenCounter.count(text, options);
        TreeMap<String, Long> actual = new TreeMap<>();
        for (int i = 0; i < counts.words().length; i++) {
            actual.put(new String(counts.words()[i], StandardCharsets.UTF_8), counts.counts()[i]);
        }
        assertThat(actual).isEqualTo(plainCounts(text, specials.getFirst()));
    }

    private static TreeMap<String, Long> plainCounts(String text, String special) {
        TreeMap<String, Long> counts = new TreeMap<>();
        for (String piece : text.split(Pattern.quote(special), -1)) {
            Matcher m = PreTokenizerPatterns.GPT2_PATTERN.matcher(piece);
            while (m.find()) counts.merge(m.group(), 1L, Long::sum);
        }
        return counts;
    }
}
