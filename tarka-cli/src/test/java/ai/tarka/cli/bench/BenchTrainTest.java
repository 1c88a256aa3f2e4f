package ai.tarka.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTrainTest {
    @TempDir
    Path tmp;

    @Test
    void measuresConfigCAndRecordsTokensPerSecondAndPeakMemory() throws Exception {
        Path json = tmp.resolve("train.json");
        int code = TarkaMain.run("bench", "train", "--config", "C", "--steps", "1", "--warmup", "0", "--json", json.toString());
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        String text = root.toString();
        assertThat(text).contains("train.C.tokens_per_s").contains("train.C.peak_rss").doesNotContain("train.A.");
    }

    @Test
    void anUnknownConfigIsNamed() {
        assertThat(TarkaMain.run("bench", "train", "--config", "D")).isEqualTo(1);
    }

    @Test
    void peakRssIsReadFromProc() {
        assertThat(BenchTrain.peakRssKib()).isGreaterThan(1000);
    }
}
