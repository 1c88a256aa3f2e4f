package ai.tarka.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.cli.TarkaMain;
import ai.tarka.common.SharedData;
import ai.tarka.serve.ServeOptions;
import ai.tarka.serve.TarkaServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarka serve} option handling and {@code tarka bench serve} against a live server. */
class ServeCommandTest {

    @Test
    void sizesParse() {
        assertThat(ByteSize.parse("--x", "512M")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("--x", "1.5GiB")).isEqualTo(3L << 29);
        assertThat(ByteSize.parse("--x", "4096")).isEqualTo(4096);
        assertThatThrownBy(() -> ByteSize.parse("--kv-cache-memory", "lots")).hasMessageContaining("--kv-cache-memory")
                .hasMessageContaining("lots");
    }

    @Test
    void refusesWhatItCannotServe() {
        assertThat(TarkaMain.run("serve", "--model", "x.gguf", "--lora", "nameonly")).isEqualTo(1);
        assertThat(TarkaMain.run("serve")).isEqualTo(1);
        assertThat(TarkaMain.run("serve", "--model", SharedData.resolve("stories260K/stories260K.bin").toString(),
                "--quantize", "q3_k")).isEqualTo(1);
        assertThat(TarkaMain.run("serve", "--random-model", "stories1B", "--tokenizer",
                SharedData.resolve("stories260K/tok512.bin").toString())).isEqualTo(1);
    }

    @Test
    void benchServeMeasuresALiveServer(@TempDir Path tmp) throws Exception {
        Path dir = SharedData.resolve("stories260K");
        ServeOptions o = ServeOptions.defaults(dir.resolve("stories260K.bin")).withTokenizer(dir.resolve("tok512.bin"))
                .withPort(0).withLimits(8L << 20, 8, 256, 32, true);
        try (TarkaServer server = TarkaServer.start(o)) {
            Path json = tmp.resolve("bench.json");
            int code = TarkaMain.run("bench", "serve", "--base-url", "http://127.0.0.1:" + server.port(), "--num-prompts", "5",
                    "--max-concurrency", "2", "--input-len", "6", "--prefix-len", "16", "--output-len", "7", "--vocab", "512",
                    "--json", json.toString());
            assertThat(code).isZero();
            JsonNode records = new ObjectMapper().readTree(Files.readString(json)).get("records");
            double completed = -1, failed = -1;
            for (JsonNode r : records) {
                if (r.get("name").asText().equals("completed")) completed = r.get("value").asDouble();
                if (r.get("name").asText().equals("failed")) failed = r.get("value").asDouble();
            }
            assertThat(completed).isEqualTo(5);
            assertThat(failed).isZero();
            assertThat(server.metrics().generationTokens.get()).isEqualTo(35);
            assertThat(server.metrics().prefixCacheHits.get()).isPositive();
        }
    }
}
