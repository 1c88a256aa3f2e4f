package ai.tarka.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarka bench tokenizer} on the smallest setting: ids checked against Hugging Face, a row and a JSON record per mode. */
class TokenizerBenchTest {
    @Test
    void comparesWithHuggingFaceAndWritesRecords(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = TarkaMain.run("bench", "tokenizer", "--tokenizers", "gpt2", "--mixed-mb", "0", "--runs", "1", "--warmup", "0",
                    "--json", json.toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        // DJL is on the test classpath (provided scope), so Hugging Face runs and must agree on every document
        assertThat(out).contains("272/272").contains("single").contains("batched").doesNotContain("not on the classpath");
        JsonNode records = new ObjectMapper().readTree(json.toFile()).get("records");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("name").asText()).isEqualTo("tokenizer.gpt2.tinyshakespeare.single.tarka");
        assertThat(records.get(0).get("baseline_name").asText()).isEqualTo("tokenizer.gpt2.tinyshakespeare.single.hf");
        assertThat(records.get(0).get("value").asDouble()).isPositive();
        assertThat(records.get(0).get("ratio").asDouble()).isPositive();
    }
}
