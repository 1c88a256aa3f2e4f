package ai.tarka.formats.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgufTensors;
import ai.tarka.formats.llama2c.Llama2cCheckpoint;
import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.formats.safetensors.SafetensorsFile;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.formats.safetensors.ShardedSafetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorSourcesTest {
    @TempDir
    Path dir;

    static final List<NamedTensor> TENSORS = List.of(new NamedTensor("a", new int[]{2, 3}, new float[]{1, 2, 3, 4, 5, 6}),
            new NamedTensor("b", new int[]{5}, new float[]{7, 8, 9, 10, 11}));

    @Test
    void realFilesPickTheirReaders() {
        try (TensorSource s = TensorSources.open(SharedData.resolve("stories260K/stories260K.gguf"))) {
            assertThat(s).isInstanceOf(GgufTensors.class);
            assertThat(s.find("token_embd.weight")).isNotNull();
        }
        try (TensorSource s = TensorSources.open(SharedData.resolve("stories260K/stories260K.bin"))) {
            assertThat(s).isInstanceOf(Llama2cCheckpoint.class);
            assertThat(s.entries()).hasSize(48);
        }
    }

    @Test
    void safetensorsFilesDirectoriesAndIndexes() throws IOException {
        Path single = dir.resolve("one");
        SafetensorsWriter.writeSharded(single, Map.of(), TENSORS, 1 << 20);
        try (TensorSource s = TensorSources.open(single)) {
            assertThat(s).isInstanceOf(SafetensorsFile.class);
            assertThat(s.readFloats("b")).containsExactly(7, 8, 9, 10, 11);
        }
        try (TensorSource s = TensorSources.open(single.resolve("model.safetensors"))) {
            assertThat(s).isInstanceOf(SafetensorsFile.class);
        }
        Path sharded = dir.resolve("two");
        SafetensorsWriter.writeSharded(sharded, Map.of(), TENSORS, 8);
        try (TensorSource s = TensorSources.open(sharded)) {
            assertThat(s).isInstanceOf(ShardedSafetensors.class);
            float[] all = new float[11];
            s.readFloats("a", all, 0);
            s.readFloats("b", all, 6);
            assertThat(all).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        }
        try (TensorSource s = TensorSources.open(sharded.resolve("model.safetensors.index.json"))) {
            assertThat(s.entries()).hasSize(2);
        }
        Path renamed = dir.resolve("weights.data");
        Files.copy(single.resolve("model.safetensors"), renamed);
        try (TensorSource s = TensorSources.open(renamed)) {
            assertThat(s).isInstanceOf(SafetensorsFile.class);
        }
    }

    @Test
    void unknownThingsAreNamed() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> TensorSources.open(empty)).isInstanceOf(TensorFormatException.class)
                .hasMessageStartingWith(empty.toString()).hasMessageContaining("no model.safetensors");
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello world");
        assertThatThrownBy(() -> TensorSources.open(txt)).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("cannot tell the format");
        Path zip = Files.write(dir.resolve("pytorch_model.bin"), new byte[]{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0});
        assertThatThrownBy(() -> TensorSources.open(zip)).hasMessageContaining("PyTorch").hasMessageContaining(zip.toString());
        assertThatThrownBy(() -> TensorSources.open(dir.resolve("absent.gguf"))).hasMessageContaining("absent.gguf");
    }
}
