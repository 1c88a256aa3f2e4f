package ai.tarka.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path tmp;

    @Test
    void reopeningForAResumeDropsLinesAfterTheCheckpointAndACutOffLine() throws IOException {
        Files.writeString(tmp.resolve(MetricsLog.FILE), """
                {"type":"train","step":1,"loss":3.0}
                {"type":"train","step":2,"loss":2.9}
                {"type":"eval","step":2,"val_loss":2.95}
                {"type":"train","step":3,"loss":2.8}
                {"type":"train","step":4,"loss":2.7}
                {"type":"train","st""");
        try (MetricsLog log = MetricsLog.open(tmp, 2)) {
            log.train(new TrainingListener.StepReport(3, 10, 2.5, 1e-3, 0.5, 300, 100, 7), 1.5);
        }
        List<String> lines = Files.readAllLines(tmp.resolve(MetricsLog.FILE));
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).contains("\"val_loss\":2.95");
        assertThat(lines.get(3)).startsWith("{\"type\":\"train\",\"step\":3,\"loss\":2.5,\"lr\":0.001");
    }
}
