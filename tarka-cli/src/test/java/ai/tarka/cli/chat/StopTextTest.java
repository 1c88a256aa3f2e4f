package ai.tarka.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StopTextTest {
    static Stream<Long> seeds() {
        return IntStream.range(0, 12).mapToObj(i -> 1000L + i);
    }

    /** Whatever the pieces, the shown text is everything before the first stop string, and nothing of it leaks. */
    @ParameterizedTest
    @MethodSource("seeds")
    void cutsBeforeTheFirstStopStringHoweverTheTextIsSplit(long seed) {
        Random r = new Random(seed);
        List<String> stops = List.of("<|im_end|>", "</s>");
        String before = "Sure <| it is a <b>fine</b> day <|im_";
        String text = before + (r.nextBoolean() ? "<|im_end|>" : "</s>") + " and then more";
        StopText st = new StopText(stops);
        StringBuilder shown = new StringBuilder();
        int i = 0;
        while (i < text.length() && !st.stopped()) {
            int len = 1 + r.nextInt(5);
            String piece = text.substring(i, Math.min(text.length(), i + len));
            String out = st.accept(piece);
            shown.append(out);
            assertThat(before.startsWith(shown.toString())).as("shown so far: %s", shown).isTrue();
            i += len;
        }
        shown.append(st.finish());
        assertThat(st.stopped()).isTrue();
        assertThat(shown.toString()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void releasesAHeldBackPartialMatchAtTheEnd(long seed) {
        Random r = new Random(seed);
        String text = "ends with a partial <|im_e";
        StopText st = new StopText(List.of("<|im_end|>"));
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int len = 1 + r.nextInt(4);
            shown.append(st.accept(text.substring(i, Math.min(text.length(), i + len))));
            i += len;
        }
        assertThat(shown.toString()).isEqualTo("ends with a partial ");
        assertThat(shown.append(st.finish()).toString()).isEqualTo(text);
        assertThat(st.stopped()).isFalse();
    }
}
