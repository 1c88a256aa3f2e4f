package ai.tarka.cli.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarka bench finetune} runs all three variants on a tiny model and records time, CPU time and memory. */
class FinetuneBenchTest {
    @TempDir
    Path dir;

    @Test
    void allVariantsOnATinyModel() throws IOException {
        Path json = dir.resolve("ft.json");
        int code = TarkaMain.newCommandLine().execute("bench", "finetune", "--width", "24", "--layers", "2", "--heads", "2",
                "--kv-heads", "1", "--hidden", "40", "--vocab", "70", "--seq", "9", "--batch", "2", "--steps", "1",
                "--warmup", "1", "--json", json.toString());
        assertThat(code).isZero();
        String records = Files.readString(json);
        for (String v : new String[] {"full", "lora", "qlora"}) {
            assertThat(records).contains("finetune." + v + ".s_per_step").contains("finetune." + v + ".cpu_s_per_step");
        }
    }
}
