package ai.tarka.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * chrF by hand (shared/data holds no sacreBLEU chrF vectors): precision and recall are averaged over the orders that
 * have n-grams on both sides, recall of an order with reference n-grams only still adds its zero.
 */
class ChrfTest {

    @Test
    void identicalAndDisjointTexts() {
        assertThat(Chrf.chrf().sentence("the cat sat", List.of("the cat sat")).value()).isEqualTo(100.0);
        assertThat(Chrf.chrf().sentence("abc", List.of("xyz")).value()).isEqualTo(0.0);
        // whitespace is removed before counting characters
        assertThat(Chrf.chrf().sentence("thecat", List.of("the cat")).value()).isEqualTo(100.0);
    }

    @Test
    void handComputedPartialMatch() {
        // "ab" vs "abc": unigrams P 1, R 2/3; bigrams P 1, R 1/2; trigram: reference only (R 0, not effective).
        // P = (1 + 1) / 2 = 1, R = (2/3 + 1/2 + 0) / 2 = 7/12, F2 = 5 P R / (4 P + R) = (35/12) / (55/12) = 7/11
        assertThat(Chrf.chrf().sentence("ab", List.of("abc")).value()).isCloseTo(700.0 / 11, within(1e-12));
    }

    @Test
    void bestReferencePerSegmentAndWordNgramsForChrfPlusPlus() {
        double one = Chrf.chrf().sentence("ab", List.of("abc")).value();
        assertThat(Chrf.chrf().sentence("ab", List.of("xyz", "abc")).value()).isEqualTo(one);
        // chrF++ adds word unigrams and bigrams; "hello," splits into "hello" and ","
        double plus = Chrf.chrfPlusPlus().sentence("hello, world", List.of("hello world")).value();
        double chars = Chrf.chrf().sentence("hello, world", List.of("hello world")).value();
        assertThat(plus).isLessThan(chars).isGreaterThan(0);
        assertThat(Chrf.chrfPlusPlus().signature(2)).isEqualTo("nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:" + Signatures.SACREBLEU_VERSION);
    }

    @Test
    void corpusSumsStatisticsBeforeTheFScore() {
        Chrf c = Chrf.chrf();
        double corpus = c.corpus(List.of("ab", "the cat"), List.of(List.of("abc", "the cat"))).value();
        double mean = (c.sentence("ab", List.of("abc")).value() + 100) / 2;
        assertThat(corpus).isNotEqualTo(mean).isBetween(60.0, 100.0);
    }
}
