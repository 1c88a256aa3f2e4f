package ai.tarka.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.formats.tensors.TensorDType;
import ai.tarka.formats.tensors.TensorFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShardedSafetensorsTest {
    @TempDir
    Path dir;

    static List<NamedTensor> tensors(Random r, int count) {
        List<NamedTensor> ts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int rows = 1 + r.nextInt(7), cols = 1 + r.nextInt(9);
            float[] d = new float[rows * cols];
            for (int j = 0; j < d.length; j++) d[j] = (float) r.nextGaussian();
            ts.add(new NamedTensor("model.layers." + i + ".w", new int[]{rows, cols}, d));
        }
        return ts;
    }

    static Stream<Arguments> limits() {
        return Stream.of(Arguments.of(5L, 1L), Arguments.of(6L, 40L), Arguments.of(7L, 100L), Arguments.of(8L, 1L << 20));
    }

    @ParameterizedTest
    @MethodSource("limits")
    void shardsRespectTheLimitAndReadBackThroughTheIndex(long seed, long maxShardBytes) throws IOException {
        List<NamedTensor> ts = tensors(new Random(seed), 9);
        List<Path> files = SafetensorsWriter.writeSharded(dir, Map.of("format", "pt"), ts, maxShardBytes);
        long total = 0;
        for (NamedTensor t : ts) total += 4L * t.data().length;
        if (total <= maxShardBytes) {
            assertThat(files).containsExactly(dir.toAbsolutePath().resolve("model.safetensors"));
        } else {
            int n = files.size() - 1;
            assertThat(files.get(n).getFileName().toString()).isEqualTo("model.safetensors.index.json");
            for (int i = 0; i < n; i++) {
                assertThat(files.get(i).getFileName().toString())
                        .isEqualTo(String.format("model-%05d-of-%05d.safetensors", i + 1, n));
                try (SafetensorsFile sf = SafetensorsFile.open(files.get(i))) {
                    long bytes = 0;
                    for (var e : sf.entries()) bytes += 4 * e.elementCount();
                    assertThat(bytes <= maxShardBytes || sf.entries().size() == 1).isTrue();
                    assertThat(sf.metadata()).containsEntry("format", "pt");
                }
            }
            JsonNode idx = new ObjectMapper().readTree(files.get(n).toFile());
            assertThat(idx.path("metadata").path("total_size").asLong()).isEqualTo(total);
            assertThat(idx.path("weight_map").size()).isEqualTo(ts.size());
            try (ShardedSafetensors s = ShardedSafetensors.open(dir)) {
                assertThat(s.shards()).hasSize(n);
                assertThat(s.metadata()).containsEntry("total_size", Long.toString(total));
                assertThat(s.entries()).extracting(e -> e.name()).containsExactlyElementsOf(ts.stream().map(NamedTensor::name).toList());
                for (NamedTensor t : ts) {
                    assertThat(s.find(t.name()).intShape()).containsExactly(t.shape());
                    assertThat(s.readFloats(t.name())).containsExactly(t.data());
                }
            }
        }
        assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }

    @Test
    void rewritingWithFewerShardsRemovesTheOlderSet() throws IOException {
        List<NamedTensor> ts = tensors(new Random(3), 6);
        SafetensorsWriter.writeSharded(dir, Map.of(), ts, 1);
        assertThat(Files.list(dir)).hasSize(7);
        SafetensorsWriter.writeSharded(dir, Map.of(), ts, 1 << 20, TensorDType.BF16);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("model.safetensors");
        SafetensorsWriter.writeSharded(dir, Map.of(), ts.subList(0, 3), 1);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", "model.safetensors.index.json");
    }

    @Test
    void aFailingWriteLeavesNoPartialSet() throws IOException {
        List<NamedTensor> ts = new ArrayList<>(tensors(new Random(4), 4));
        ts.add(ts.get(1)); // duplicate name is detected before any file is written
        assertThatThrownBy(() -> SafetensorsWriter.writeSharded(dir, Map.of(), ts, 1))
                .hasMessageContaining("duplicate tensor name");
        assertThat(Files.list(dir)).isEmpty();
        // a directory standing where a shard must go makes its rename fail after earlier shards were written
        List<NamedTensor> ok = tensors(new Random(5), 3);
        Files.createDirectories(dir.resolve("model-00002-of-00003.safetensors").resolve("x"));
        assertThatThrownBy(() -> SafetensorsWriter.writeSharded(dir, Map.of(), ok, 1))
                .hasMessageContaining(dir.toAbsolutePath().toString());
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .containsExactly("model-00002-of-00003.safetensors");
    }

    @Test
    void indexAndShardsMustAgree() throws IOException {
        List<NamedTensor> ts = tensors(new Random(6), 3);
        SafetensorsWriter.writeSharded(dir, Map.of(), ts, 1);
        Path index = dir.resolve("model.safetensors.index.json");
        String json = Files.readString(index);

        Files.writeString(index, json.replace("\"model.layers.1.w\" : \"model-00002-of-00003.safetensors\"",
                "\"model.layers.1.w\" : \"model-00003-of-00003.safetensors\""));
        assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(TensorFormatException.class)
                .hasMessageStartingWith(index.toString()).hasMessageContaining("'model.layers.1.w'");

        Files.writeString(index, json.replace("model-00002-of-00003", "model-00009-of-00003"));
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).hasMessageContaining("model-00009-of-00003.safetensors")
                .hasMessageContaining("does not exist");

        Files.writeString(index, json.replace("model-00002-of-00003", "../model-00002-of-00003"));
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).hasMessageContaining("outside");

        Files.writeString(index, json.replace("\"weight_map\"", "\"weights\""));
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).hasMessageContaining("no \"weight_map\"");

        Files.writeString(index, json.substring(0, json.length() / 2));
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).hasMessageContaining("not valid JSON");

        Files.delete(index);
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("no *.safetensors.index.json");
    }

    @Test
    void missingTensorNamesTheIndex() {
        SafetensorsWriter.writeSharded(dir, Map.of(), tensors(new Random(7), 3), 1);
        try (ShardedSafetensors s = ShardedSafetensors.open(dir)) {
            assertThat(s.find("nope")).isNull();
            assertThatThrownBy(() -> s.readFloats("nope")).isInstanceOf(TensorFormatException.class)
                    .hasMessageContaining("model.safetensors.index.json").hasMessageContaining("'nope'");
        }
    }
}
