package ai.tarka.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.cli.TarkaMain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GemmBenchTest {

    @Test
    void parsesSquareAndRectangularShapes() {
        assertThat(GemmBench.Shape.parse("64")).isEqualTo(new GemmBench.Shape(64, 64, 64));
        assertThat(GemmBench.Shape.parse("256x768x50304")).isEqualTo(new GemmBench.Shape(256, 768, 50304));
        assertThat(GemmBench.Shape.parse("2x3x4").flops()).isEqualTo(48.0);
        assertThatThrownBy(() -> GemmBench.Shape.parse("3x4")).hasMessageContaining("'3x4'");
        assertThatThrownBy(() -> GemmBench.Shape.parse("0")).hasMessageContaining("positive");
    }

    @Test
    void writesOneComparedRecordPerShape(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("gemm.json");
        int rc = TarkaMain.run("bench", "gemm", "--sizes", "24,10x7x33", "--repeat", "1", "--min-time", "0.01",
                "--warmup", "0", "--threads", "1", "--json", json.toString());
        assertThat(rc).isZero();
        JsonNode records = new ObjectMapper().readTree(json.toFile()).get("records");
        assertThat(records).hasSize(4);
        JsonNode java = records.get(1);
        assertThat(java.get("name").asText()).isEqualTo("sgemm.java.24x24x24");
        assertThat(java.get("unit").asText()).isEqualTo("GFLOP/s");
        assertThat(java.get("baseline_name").asText()).isEqualTo("sgemm.openblas.24x24x24");
        assertThat(java.get("value").asDouble()).isPositive();
        assertThat(records.get(2).get("name").asText()).isEqualTo("sgemm.openblas.10x7x33");
    }
}
