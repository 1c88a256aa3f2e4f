package ai.tarka.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tokenizers.bpe.SharedTokenizers.Expected;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Encodings produced by tiktoken itself (npm tiktoken 1.0.22) must be reproduced id for id. */
class TiktokenConformanceTest {

    static List<Expected> r50kCases() {
        return SharedTokenizers.expected("tiktoken/r50k_base.expected.jsonl");
    }

    static List<Expected> cl100kCases() {
        return SharedTokenizers.expected("tiktoken/cl100k_base.expected.jsonl");
    }

    @Test
    void expectedFilesHaveAllTheirCases() {
        assertThat(r50kCases()).hasSize(52);
        assertThat(cl100kCases()).hasSize(52);
    }

    @ParameterizedTest
    @MethodSource("r50kCases")
    void r50kMatchesTiktoken(Expected c) {
        ByteLevelBpe bpe = SharedTokenizers.r50k();
        assertThat(bpe.encodeOrdinary(c.text())).containsExactly(c.ids());
        assertThat(bpe.decode(c.ids())).isEqualTo(c.text());
    }

    @ParameterizedTest
    @MethodSource("cl100kCases")
    void cl100kMatchesTiktoken(Expected c) {
        ByteLevelBpe bpe = SharedTokenizers.cl100k();
        assertThat(bpe.encodeOrdinary(c.text())).containsExactly(c.ids());
        assertThat(bpe.decode(c.ids())).isEqualTo(c.text());
    }

    /** The GPT-2 encoder.json + vocab.bpe files and r50k_base are the same tokenizer. */
    @ParameterizedTest
    @MethodSource("r50kCases")
    void gpt2FilesEqualR50k(Expected c) {
        assertThat(SharedTokenizers.gpt2Files().encodeOrdinary(c.text())).containsExactly(c.ids());
    }

    static Stream<String> cs336Files() {
        return Stream.of("address.txt", "german.txt", "tinystories_sample.txt", "corpus.en");
    }

    /** CS336's fixtures: tiktoken "gpt2" with allowed_special="all", so {@code <|endoftext|>} is id 50256. */
    @ParameterizedTest
    @MethodSource("cs336Files")
    void cs336FixturesWithGpt2FilesAndR50k(String file) throws Exception {
        JsonNode expected = null;
        ObjectMapper json = new ObjectMapper();
        for (String line : SharedTokenizers.read("cs336-bpe-fixtures/expected-gpt2-tiktoken.jsonl").split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n = json.readTree(line);
            if (n.get("file").asText().equals(file)) expected = n;
        }
        assertThat(expected).as("expected ids for " + file).isNotNull();
        assertThat(expected.get("allowed_special").asText()).isEqualTo("all");
        int[] ids = SharedTokenizers.ids(expected.get("ids"));
        String text = SharedTokenizers.read("cs336-bpe-fixtures/" + file);
        assertThat(SharedTokenizers.gpt2Files().encode(text)).containsExactly(ids);
        assertThat(SharedTokenizers.r50k().encode(text)).containsExactly(ids);
        assertThat(SharedTokenizers.gpt2Files().decode(ids)).isEqualTo(text);
    }
}
