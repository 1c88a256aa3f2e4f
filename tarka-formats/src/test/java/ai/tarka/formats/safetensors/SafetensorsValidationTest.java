package ai.tarka.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.formats.tensors.TensorFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafetensorsValidationTest {
    @TempDir
    Path dir;

    /** A file with this header text (declared length = its byte length) followed by {@code dataBytes} zero bytes. */
    Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        return f;
    }

    void assertRejected(Path f, String... fragments) {
        assertThatThrownBy(() -> SafetensorsFile.open(f))
                .isInstanceOf(TensorFormatException.class)
                .hasMessageStartingWith(f.toString() + ": ")
                .hasMessageContainingAll(fragments);
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[]{1, 2, 3});
        assertRejected(f, "3 bytes", "truncated");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path f = dir.resolve("t.safetensors");
        SafetensorsWriter.write(f, Map.of(), List.of(new NamedTensor("w", new int[]{4}, new float[4])));
        byte[] all = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Files.write(f, Arrays.copyOf(all, (int) headerLen));
        assertRejected(f, "header length " + headerLen, "runs past the end", "truncated");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        Path f = dir.resolve("huge.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-2).array());
        assertRejected(f, "header length 18446744073709551614", "limit");
    }

    @Test
    void truncatedDataNamesTheTensor() throws IOException {
        Path f = dir.resolve("t.safetensors");
        SafetensorsWriter.write(f, Map.of(), List.of(new NamedTensor("a", new int[]{2}, new float[2]),
                new NamedTensor("b", new int[]{3, 2}, new float[6])));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        assertRejected(f, "tensor 'b'", "[8,32]", "run past", "truncated");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}       | not valid JSON",
            "[1,2,3]                                                          | not a JSON object",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} xx  | not valid JSON",
            "{\"a\":1,\"a\":2}                                                | not valid JSON",
    })
    void invalidJson(String header, String fragment) throws IOException {
        assertRejected(file(header, 8), fragment);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // unknown dtype
            "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}          | 2  | tensor 'a', unsupported dtype \"F8_E4M3\"",
            "{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,2]}}               | 2  | tensor 'a', unknown",
            // missing or malformed fields
            "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}                               | 8  | tensor 'a', dtype",
            "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}                           | 8  | tensor 'a', shape",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}            | 8  | tensor 'a', dimension 0",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}           | 8  | tensor 'a', dimension 0",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}                                    | 8  | tensor 'a', data_offsets",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}               | 8  | tensor 'a', data_offsets",
            "{\"a\":[1,2]}                                                              | 8  | tensor 'a', must be an object",
            "{\"__metadata__\":{\"k\":3},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} | 8 | __metadata__, 'k', string",
            // offsets out of range, reversed, or not matching dtype x shape
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}            | 8  | tensor 'a', [0,12], run past the 8-byte data section",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}             | 8  | tensor 'a', end before begin",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,6]}}             | 6  | tensor 'a', span 6 bytes, F32[2] needs 8",
            "{\"a\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,8]}}           | 8  | tensor 'a', span 8 bytes, F16[2, 3] needs 12",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}} | 8 | tensor 'a', overflows",
            // overlap, hole, trailing bytes
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}} | 12 | tensor 'b', [4, 12), overlap tensor 'a'",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}} | 12 | bytes [4, 8), hole before 'b'",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}              | 9  | 9 bytes, cover only 4, trailing bytes after 'a'",
    })
    void malformedEntries(String header, int dataBytes, String fragments) throws IOException {
        assertRejected(file(header, dataBytes), fragments.split(", "));
    }

    @Test
    void missingTensorAndNonFloatReadsNameTheFileAndTensor() throws IOException {
        Path f = file("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertThat(sf.entries()).hasSize(1);
            assertThat(sf.bytes("ids").byteSize()).isEqualTo(8);
            assertThatThrownBy(() -> sf.readFloats("nope")).isInstanceOf(TensorFormatException.class)
                    .hasMessageStartingWith(f.toString()).hasMessageContaining("no tensor named 'nope'");
            assertThatThrownBy(() -> sf.readFloats("ids")).isInstanceOf(TensorFormatException.class)
                    .hasMessageStartingWith(f.toString()).hasMessageContaining("'ids' is I64");
        }
    }

    @Test
    void destinationTooSmallIsAnArgumentError() throws IOException {
        Path f = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertThatThrownBy(() -> sf.readFloats("a", new float[3], 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs 2 floats at offset 2").hasMessageContaining("holds 3");
        }
    }

    @Test
    void emptyHeaderObjectIsAValidEmptyFile() throws IOException {
        try (SafetensorsFile sf = SafetensorsFile.open(file("{}      ", 0))) {
            assertThat(sf.entries()).isEmpty();
            assertThat(sf.metadata()).isEmpty();
        }
    }

    @Test
    void zeroSizedTensorsMayShareAnOffset() throws IOException {
        Path f = file("{\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
                + "\"a\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[0,2]}}", 2);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertThat(sf.entries()).extracting(e -> e.name()).containsExactly("e", "a");
            assertThat(sf.readFloats("e")).isEmpty();
            assertThat(sf.readFloats("a")).containsExactly(0f);
        }
    }

    @Test
    void missingFileNamesThePath() {
        Path f = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> SafetensorsFile.open(f)).hasMessageContaining(f.toString());
    }
}
