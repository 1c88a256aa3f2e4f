package ai.tarka.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.tarka.common.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every case of shared/data/metric-testvectors/sacrebleu-expected.json, to 1e-4 on the 0–100 scale or tighter. */
class SacreBleuConformanceTest {
    static JsonNode vectors;
    static int reproduced;

    @BeforeAll
    static void load() throws Exception {
        vectors = new ObjectMapper().readTree(SharedData.resolve("metric-testvectors/sacrebleu-expected.json").toFile());
    }

    static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<List<String>> streams(JsonNode arr) {
        List<List<String>> out = new ArrayList<>();
        arr.forEach(n -> out.add(strings(n)));
        return out;
    }

    static BleuStats stats(JsonNode c) {
        double[] correct = new double[c.get("correct").size()], total = new double[correct.length];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = c.get("correct").get(i).asDouble();
            total[i] = c.get("total").get(i).asDouble();
        }
        return new BleuStats(c.get("sys_len").asDouble(), c.get("ref_len").asDouble(), correct, total);
    }

    @Test
    void corpusBleu() {
        int n = 0;
        for (JsonNode c : vectors.get("corpus_bleu")) {
            BleuOptions o = BleuOptions.corpusDefaults();
            JsonNode opt = c.get("options");
            if (opt.has("tokenize")) o = o.withTokenizer(BleuTokenizer.named(opt.get("tokenize").asText()));
            if (opt.has("smooth_method")) o = o.withSmoothing(BleuSmoothing.named(opt.get("smooth_method").asText()), null);
            BleuScore s = new Bleu(o).corpus(strings(c.get("hyps")), streams(c.get("refs")));
            System.out.printf(Locale.ROOT, "corpus BLEU %s: %.8f (vector %s) %s%n", opt, s.score(), c.get("score").asText(), s.signature());
            assertThat(s.score()).as("corpus BLEU %s", opt).isCloseTo(c.get("score").asDouble(), within(1e-6));
            n++;
        }
        assertThat(n).isEqualTo(6);
    }

    @Test
    void corpusBleuMaxOrder() {
        int n = 0;
        for (JsonNode c : vectors.get("corpus_bleu_max_ngram_order")) {
            BleuOptions o = BleuOptions.corpusDefaults().withMaxNgramOrder(c.get("max_ngram_order").asInt());
            BleuScore s = new Bleu(o).corpus(strings(c.get("hyps")), streams(c.get("refs")));
            System.out.printf(Locale.ROOT, "corpus BLEU max order %d: %.6f (vector %s)%n", o.maxNgramOrder(), s.score(), c.get("score_2dp").asText());
            assertThat(String.format(Locale.ROOT, "%.2f", s.score())).isEqualTo(c.get("score_2dp").asText());
            n++;
        }
        assertThat(n).isEqualTo(6);
    }

    /** sacreBLEU's compat {@code raw_corpus_bleu}: floor smoothing, effective order, no tokenization. */
    static Bleu raw(double floor) {
        return new Bleu(new BleuOptions(BleuTokenizer.NONE, false, BleuSmoothing.FLOOR, floor, 4, true));
    }

    @Test
    void rawCorpusBleu() {
        int n = 0;
        for (JsonNode c : vectors.get("raw_corpus_bleu")) {
            BleuScore s = raw(c.get("smooth_value").asDouble()).corpus(strings(c.get("hyps")), streams(c.get("refs")));
            assertThat(s.score() / 100).as("raw corpus BLEU %s", c).isCloseTo(c.get("score").asDouble(), within(1e-8));
            n++;
        }
        assertThat(n).isEqualTo(8);
    }

    @Test
    void ngramStatistics() {
        JsonNode c = vectors.get("statistics").get(0);
        BleuStats s = raw(0.01).segmentStats(c.get("hyps").get(0).asText(), strings(c.get("refs").get(0)));
        for (int i = 0; i < 4; i++) {
            assertThat(s.correct()[i]).isEqualTo(c.get("counts").get(i).asDouble());
            assertThat(s.total()[i]).isEqualTo(c.get("totals").get(i).asDouble());
        }
    }

    @Test
    void bleuFromStatistics() {
        JsonNode c = vectors.get("compute_bleu_from_stats").get(0);
        BleuScore s = new Bleu(BleuOptions.corpusDefaults().withSmoothing(BleuSmoothing.NONE, null)).fromStats(stats(c), 1);
        assertThat(s.score() / 100).isCloseTo(c.get("score").asDouble(), within(1e-8));
        int n = 0;
        for (JsonNode d : vectors.get("degenerate_stats_floor")) {
            BleuScore z = raw(d.get("smooth_value").asDouble()).fromStats(stats(d), 1);
            assertThat(z.score()).as("degenerate %s", d).isCloseTo(d.get("score").asDouble(), within(1e-8));
            n++;
        }
        assertThat(n).isEqualTo(6);
    }

    @Test
    void sentenceBleu() {
        JsonNode sb = vectors.get("sentence_bleu");
        String hyp = sb.get("hyp").asText();
        List<String> refs = List.of(sb.get("ref").asText());
        int n = 0;
        for (JsonNode c : sb.get("cases")) {
            Double value = c.get("smooth_value").isNull() ? null : c.get("smooth_value").asDouble();
            BleuOptions o = BleuOptions.sentenceDefaults()
                    .withSmoothing(BleuSmoothing.named(c.get("smooth_method").asText()), value)
                    .withLowercase(c.get("lowercase").asBoolean())
                    .withTokenizer(BleuTokenizer.named(c.get("tokenize").asText()));
            BleuScore s = new Bleu(o).sentence(hyp, refs);
            System.out.printf(Locale.ROOT, "sentence BLEU %s/%s/%s/lc=%s: %.6f (vector %s)%n", c.get("smooth_method").asText(),
                    c.get("smooth_value"), c.get("tokenize").asText(), c.get("lowercase").asBoolean(), s.score(), c.get("score").asText());
            // the vectors are truncated, not rounded (14.882 for 14.88256; 4.51688; 10.1): every printed digit must
            // agree, i.e. within one unit of the last one (sacreBLEU's own test asserts 1e-3)
            assertThat(s.score()).as("sentence BLEU %s", c).isCloseTo(c.get("score").asDouble(), within(oneLastDigit(c.get("score").asText())));
            n++;
        }
        assertThat(n).isEqualTo(12);
        JsonNode z = sb.get("zero_cases");
        for (BleuSmoothing m : BleuSmoothing.values()) {
            BleuScore s = new Bleu(BleuOptions.sentenceDefaults().withSmoothing(m, null)).sentence(z.get("hyp").asText(), List.of(z.get("ref").asText()));
            assertThat(s.score()).isEqualTo(0.0);
        }
    }

    static double oneLastDigit(String printed) {
        int dot = printed.indexOf('.');
        int decimals = dot < 0 ? 0 : printed.length() - dot - 1;
        return Math.pow(10, -decimals);
    }

    @Test
    void signatureMatchesSacreBleuLayout() {
        assertThat(new Bleu(BleuOptions.corpusDefaults()).signature(1))
                .isEqualTo("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" + Signatures.SACREBLEU_VERSION);
        assertThat(new Bleu(BleuOptions.sentenceDefaults().withSmoothing(BleuSmoothing.FLOOR, null).withLowercase(true)).signature(2))
                .isEqualTo("nrefs:2|case:lc|eff:yes|tok:13a|smooth:floor[0.10]|version:" + Signatures.SACREBLEU_VERSION);
        assertThat(Chrf.chrf().signature(1)).isEqualTo("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:" + Signatures.SACREBLEU_VERSION);
    }
}
