package ai.tarka.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.tarka.common.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every case of shared/data/metric-testvectors/rouge-expected.json. */
class RougeConformanceTest {

    /** Python's readlines(): lines keep their trailing newline. */
    static List<String> readlines(Path f) throws Exception {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    @Test
    void everyCase() throws Exception {
        Path dir = SharedData.resolve("metric-testvectors");
        JsonNode cases = new ObjectMapper().readTree(dir.resolve("rouge-expected.json").toFile()).get("cases");
        int n = 0;
        for (JsonNode c : cases) {
            String target, prediction;
            if (c.has("target_file")) {
                if (c.path("whole_file").asBoolean()) {
                    target = Files.readString(dir.resolve(c.get("target_file").asText()));
                    prediction = Files.readString(dir.resolve(c.get("prediction_file").asText()));
                } else {
                    int line = c.get("line").asInt();
                    target = readlines(dir.resolve(c.get("target_file").asText())).get(line);
                    prediction = readlines(dir.resolve(c.get("prediction_file").asText())).get(line);
                }
            } else {
                target = c.get("target").asText();
                prediction = c.get("prediction").asText();
            }
            Rouge rouge = new Rouge(c.path("use_stemmer").asBoolean(false), RougeTokenizer.DEFAULT);
            RougeScore s = rouge.score(c.get("type").asText(), target, prediction);
            // "places" is how many decimals the upstream test asserts (assertAlmostEqual); without it, 7
            int places = c.has("places") ? c.get("places").asInt() : 7;
            double tol = 0.5 * Math.pow(10, -places) + 1e-12;
            assertThat(s.precision()).as("precision %s", c).isCloseTo(c.get("precision").asDouble(), within(tol));
            assertThat(s.recall()).as("recall %s", c).isCloseTo(c.get("recall").asDouble(), within(tol));
            assertThat(s.fmeasure()).as("fmeasure %s", c).isCloseTo(c.get("fmeasure").asDouble(), within(tol));
            n++;
        }
        assertThat(n).isEqualTo(cases.size()).isEqualTo(18);
    }

    @Test
    void defaultTokenizerDropsNonAsciiButUnicodeTokenizerKeepsIt() {
        Rouge ascii = new Rouge();
        Rouge unicode = new Rouge(false, RougeTokenizer.UNICODE);
        assertThat(ascii.score("rouge1", "привет мир", "привет мир").fmeasure()).isZero();
        assertThat(unicode.score("rouge1", "привет мир", "привет мир").fmeasure()).isEqualTo(1.0);
        assertThat(unicode.tokens("Größe, 東京!")).containsExactly("größe", "東京");
    }

    @Test
    void signatureNamesTypeStemmerAndTokenizer() {
        assertThat(new Rouge(true, RougeTokenizer.DEFAULT).signature("rougeLsum"))
                .isEqualTo("type:rougeLsum|stem:yes|tok:default|version:" + Signatures.ROUGE_SCORE_VERSION);
    }
}
