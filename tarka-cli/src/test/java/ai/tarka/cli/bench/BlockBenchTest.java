package ai.tarka.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import ai.tarka.kernels.gemm.Gemms;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockBenchTest {

    @Test
    void measuresEachBackendAndComparesWithTheFirst(@TempDir Path dir) throws Exception {
        String before = Gemms.get().name();
        Path json = dir.resolve("block.json");
        int rc = TarkaMain.run("bench", "block", "--batch", "1", "--seq", "9", "--dim", "12", "--heads", "3",
                "--runs", "1", "--warmup", "0", "--json", json.toString());
        assertThat(rc).isZero();
        JsonNode records = new ObjectMapper().readTree(json.toFile()).get("records");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("name").asText()).isEqualTo("block.fwd_bwd.java");
        assertThat(records.get(1).get("baseline_name").asText()).isEqualTo("block.fwd_bwd.java");
        assertThat(records.get(1).get("value").asDouble()).isPositive();
        // the bench puts the engine's backend back
        assertThat(Gemms.get().name()).isEqualTo(before);
    }

    @Test
    void rejectsAWidthThatHeadsDoNotDivide() {
        assertThat(TarkaMain.run("bench", "block", "--dim", "10", "--heads", "3")).isEqualTo(1);
    }
}
