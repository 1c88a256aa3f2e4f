package ai.tarka.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generation and memory benches run end to end on tiny settings and write their records. */
class GenerateBenchTest {
    @Test
    void generateBenchWritesDecodeAndPromptRecordsPerFormat(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("g.json");
        int rc = TarkaMain.run("bench", "generate", "--models", "stories260K", "--formats", "f32,q8_0", "--prompt", "8",
                "--decode", "4", "--repeat", "1", "--bandwidth-mb", "4", "--json", json.toString());
        assertThat(rc).isZero();
        JsonNode records = new ObjectMapper().readTree(json.toFile()).get("records");
        assertThat(records).hasSize(4);
        assertThat(records.get(0).get("name").asText()).isEqualTo("generate.stories260K.F32.decode");
        assertThat(records.get(2).get("name").asText()).isEqualTo("generate.stories260K.Q8_0.decode");
        assertThat(records.get(0).get("value").asDouble()).isPositive();
        assertThat(records.get(0).get("baseline_name").asText()).isEqualTo("bandwidth bound");
    }

    @Test
    void memoryBenchReportsThreeKernels(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("m.json");
        assertThat(TarkaMain.run("bench", "memory", "--mb", "4", "--passes", "1", "--json", json.toString())).isZero();
        JsonNode records = new ObjectMapper().readTree(json.toFile()).get("records");
        assertThat(records).extracting(r -> r.get("name").asText()).containsExactly("memory.read", "memory.copy", "memory.triad");
        for (JsonNode r : records) assertThat(r.get("value").asDouble()).isPositive();
    }
}
