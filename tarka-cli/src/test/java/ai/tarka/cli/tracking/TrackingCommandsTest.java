package ai.tarka.cli.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingCommandsTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = TarkaMain.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void hpoThenRunsListsTheTrials() throws Exception {
        Path cfg = Files.writeString(dir.resolve("study.yaml"), """
                study: cli-study
                sampler: tpe
                seed: 3
                trials: 4
                objective: {name: quadratic, steps: 5}
                space:
                  lr: {type: float, low: 1e-4, high: 1e-1, log: true}
                  optimizer: {type: categorical, choices: [adamw, sgd]}
                """);
        Path store = dir.resolve("store");
        Result hpo = run("hpo", cfg.toString(), "--tracking-dir", store.toString(), "--trials", "6", "--parallel", "2");
        assertThat(hpo.code()).as(hpo.err()).isZero();
        assertThat(hpo.out()).contains("study cli-study").contains("6 trials").contains("best trial").contains("lr: ").contains("optimizer: ");
        Result runs = run("runs", "--tracking-dir", store.toString(), "-e", "cli-study", "--filter", "tags.`tarka.hpo.state` = 'COMPLETE'",
                "--order-by", "metrics.value ASC", "--metrics", "value");
        assertThat(runs.code()).as(runs.err()).isZero();
        assertThat(runs.out()).contains("cli-study-trial-").contains("FINISHED");
        Result bad = run("runs", "--tracking-dir", store.toString(), "--filter", "metrics.value ~ 1");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("Invalid search filter");
        Result missing = run("hpo", dir.resolve("nope.yaml").toString(), "--tracking-dir", store.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.yaml");
    }

    @Test
    void corruptStoreIsNamed() throws Exception {
        Path store = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(store.resolve("tracking.db"), "this is not sqlite ".repeat(300));
        Result r = run("runs", "--tracking-dir", store.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(store.resolve("tracking.db").toString()).contains("corrupt");
    }
}
