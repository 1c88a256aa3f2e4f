package ai.tarka.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class SharedDataTest {

    @Test
    void findsTheSharedFolderAndItsReadme() {
        assertThat(Files.isRegularFile(SharedData.root().resolve("README.md"))).isTrue();
        assertThat(SharedData.resolve("tinyshakespeare")).isDirectory();
    }

    @Test
    void missingFileIsNamedInTheError() {
        assertThatThrownBy(() -> SharedData.resolve("no-such-file.bin"))
                .hasMessageContaining("shared data file missing").hasMessageContaining("no-such-file.bin");
    }
}
