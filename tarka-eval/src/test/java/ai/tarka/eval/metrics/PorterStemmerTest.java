package ai.tarka.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Words whose NLTK (NLTK_EXTENSIONS) stems are known, covering every step and NLTK's departures from Porter. */
class PorterStemmerTest {

    static Stream<Arguments> words() {
        return Stream.of(
                Arguments.of("caresses", "caress"), Arguments.of("ponies", "poni"), Arguments.of("ties", "tie"),
                Arguments.of("cats", "cat"), Arguments.of("feed", "feed"), Arguments.of("agreed", "agre"),
                Arguments.of("plastered", "plaster"), Arguments.of("motoring", "motor"), Arguments.of("sing", "sing"),
                Arguments.of("conflated", "conflat"), Arguments.of("troubled", "troubl"), Arguments.of("sized", "size"),
                Arguments.of("hopping", "hop"), Arguments.of("falling", "fall"), Arguments.of("filing", "file"),
                Arguments.of("happy", "happi"), Arguments.of("sky", "sky"), Arguments.of("relational", "relat"),
                Arguments.of("conditional", "condit"), Arguments.of("generalization", "gener"),
                Arguments.of("hopefulness", "hope"), Arguments.of("electricity", "electr"), Arguments.of("adjustment", "adjust"),
                Arguments.of("adoption", "adopt"), Arguments.of("controll", "control"), Arguments.of("roll", "roll"),
                Arguments.of("dying", "die"), Arguments.of("skies", "sky"), Arguments.of("died", "die"),
                Arguments.of("cried", "cri"), Arguments.of("running", "run"), Arguments.of("is", "is"),
                Arguments.of("generously", "gener"), Arguments.of("analogi", "analog"), Arguments.of("probate", "probat"),
                Arguments.of("rate", "rate"), Arguments.of("cease", "ceas"));
    }

    @ParameterizedTest
    @MethodSource("words")
    void stemsLikeNltk(String word, String stem) {
        assertThat(new PorterStemmer().stem(word)).isEqualTo(stem);
    }
}
