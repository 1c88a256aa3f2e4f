package ai.tarka.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.formats.tensors.HalfFloats;
import ai.tarka.formats.tensors.TensorDType;
import ai.tarka.formats.tensors.TensorEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 11;
        for (TensorDType t : List.of(TensorDType.F32, TensorDType.F16, TensorDType.BF16))
            for (int k = 0; k < 3; k++) out.add(Arguments.of(t, seed++));
        return out.stream();
    }

    /** A few tensors of odd shapes (scalar, empty, 1-3 dims) with values spread over many magnitudes. */
    static List<NamedTensor> randomTensors(Random r) {
        List<NamedTensor> ts = new ArrayList<>();
        int count = 1 + r.nextInt(5);
        for (int i = 0; i < count; i++) {
            int rank = r.nextInt(4);
            int[] shape = new int[rank];
            int n = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = r.nextInt(d == 0 && r.nextInt(6) == 0 ? 1 : 13);
                n *= shape[d];
            }
            float[] data = new float[n];
            for (int j = 0; j < n; j++) data[j] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
            ts.add(new NamedTensor("layer." + i + ".w" + r.nextInt(100), shape, data));
        }
        return ts;
    }

    static float stored(float v, TensorDType t) {
        return switch (t) {
            case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(v));
            case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v));
            default -> v;
        };
    }

    @ParameterizedTest
    @MethodSource("cases")
    void writtenTensorsReadBackInOrderWithShapesAndValues(TensorDType dtype, long seed) {
        Random r = new Random(seed);
        List<NamedTensor> ts = randomTensors(r);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "héllo \"quoted\"\n");
        Path f = dir.resolve("m.safetensors");
        SafetensorsWriter.write(f, meta, ts, dtype);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertThat(sf.metadata()).containsExactlyEntriesOf(meta);
            assertThat(sf.entries()).hasSize(ts.size());
            for (int i = 0; i < ts.size(); i++) {
                NamedTensor t = ts.get(i);
                TensorEntry e = sf.entries().get(i);
                assertThat(e.name()).isEqualTo(t.name());
                assertThat(e.dtype()).isEqualTo(dtype);
                assertThat(e.intShape()).containsExactly(t.shape());
                float[] expected = new float[t.data().length];
                for (int j = 0; j < expected.length; j++) expected[j] = stored(t.data()[j], dtype);
                assertThat(sf.readFloats(t.name())).containsExactly(expected);
                float[] dst = new float[expected.length + 3];
                sf.readFloats(t.name(), dst, 2);
                for (int j = 0; j < expected.length; j++) assertThat(dst[2 + j]).isEqualTo(expected[j]);
                assertThat(dst[0]).isZero();
            }
        }
        assertThat(dir.toFile().list()).containsExactly("m.safetensors");
    }

    @Test
    void headerIsPaddedWithSpacesToEightBytesAndFollowsTheSpec() throws IOException {
        Path f = dir.resolve("a.safetensors");
        SafetensorsWriter.write(f, Map.of(), List.of(new NamedTensor("x", new int[]{3}, new float[]{1, 2, 3})));
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(n % 8).isZero();
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header.strip()).isEqualTo("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}");
        assertThat(header.substring(header.strip().length())).matches(" *");
        assertThat(b.length).isEqualTo(8 + n + 12);
        assertThat(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getFloat(8 + (int) n + 4)).isEqualTo(2f);
    }

    @Test
    void duplicateNamesAndBadShapesAreRejected() {
        Path f = dir.resolve("d.safetensors");
        NamedTensor a = new NamedTensor("a", new int[]{1}, new float[]{1});
        assertThatThrownBy(() -> SafetensorsWriter.write(f, Map.of(), List.of(a, a)))
                .hasMessageContaining("duplicate tensor name 'a'").hasMessageContaining(f.getFileName().toString());
        assertThatThrownBy(() -> new NamedTensor("w", new int[]{2, 3}, new float[5]))
                .hasMessageContaining("'w'").hasMessageContaining("[2, 3]").hasMessageContaining("5");
        assertThatThrownBy(() -> SafetensorsWriter.write(f, Map.of(), List.of(a), TensorDType.I32))
                .hasMessageContaining("I32");
        assertThat(f).doesNotExist();
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void rewritingReplacesTheFileAtomically() {
        Path f = dir.resolve("r.safetensors");
        SafetensorsWriter.write(f, Map.of(), List.of(new NamedTensor("a", new int[]{1}, new float[]{1})));
        SafetensorsWriter.write(f, Map.of("v", "2"), List.of(new NamedTensor("b", new int[]{2}, new float[]{4, 5})));
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertThat(sf.metadata()).containsEntry("v", "2");
            assertThat(sf.find("a")).isNull();
            assertThat(sf.readFloats("b")).containsExactly(4, 5);
        }
        assertThat(dir.toFile().list()).containsExactly("r.safetensors");
    }
}
