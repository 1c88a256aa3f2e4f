package ai.tarka.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void plainLinesReportCountPercentRateAndFinish() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (Progress p = Progress.lines("tokenize", 100, "docs", out, Duration.ZERO)) {
            p.status("shard 1");
            p.step(40);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().findFirst().orElseThrow())
                .startsWith("tokenize: 40/100 docs (40%)").contains("docs/s").contains("ETA").contains("shard 1");
        assertThat(text.strip()).endsWith("done");
    }

    @Test
    void plainLinesAreThrottled() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Progress p = Progress.lines("x", 0, "steps", out, Duration.ofHours(1));
        for (int i = 0; i < 1000; i++) p.step(1);
        assertThat(buf.size()).isZero();
        p.close();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("x: 1000 steps").contains("done");
    }

    @Test
    void etaFormatting() {
        assertThat(Progress.Lines.formatSeconds(5)).isEqualTo("5s");
        assertThat(Progress.Lines.formatSeconds(125)).isEqualTo("2m05s");
        assertThat(Progress.Lines.formatSeconds(7260)).isEqualTo("2h01m");
    }
}
