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
    void childHeapCapGrowsWithTheModelAndLeavesRoomForTheLiveSet() {
        // config C: 1.3M parameters (21 MB of weights, gradients and moments) and ~200 MB of activations per step
        assertThat(BenchTrain.Config.C.heapMib()).isBetween(250L, 600L);
        assertThat(BenchTrain.Config.A.heapMib()).isGreaterThan(BenchTrain.Config.C.heapMib());
        assertThat(BenchTrain.Config.B.heapMib()).isGreaterThan(2000L);
    }

    @Test
    void peakRssIsReadFromProc() {
        assertThat(BenchTrain.peakRssKib()).isGreaterThan(1000);
    }
}
