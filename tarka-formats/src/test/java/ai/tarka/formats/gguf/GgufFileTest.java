package ai.tarka.formats.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GgufFileTest {

    /** Every value type once, an array of strings, a nested array and two tensors with a non-default alignment. */
    static GgufBytes everyType() {
        GgufBytes b = new GgufBytes().header(3, 2, 15);
        b.key("u8", GgufValueType.UINT8).u8(250);
        b.key("i8", GgufValueType.INT8).u8(0xfe);
        b.key("u16", GgufValueType.UINT16).i16(0xfffe);
        b.key("i16", GgufValueType.INT16).i16(-300);
        b.key("u32", GgufValueType.UINT32).i32(-1);
        b.key("i32", GgufValueType.INT32).i32(-70000);
        b.key("f32", GgufValueType.FLOAT32).f32(1.5f);
        b.key("bool", GgufValueType.BOOL).u8(1);
        b.key("str", GgufValueType.STRING).str("héllo ▁");
        b.key("u64", GgufValueType.UINT64).i64(1L << 40);
        b.key("i64", GgufValueType.INT64).i64(-5);
        b.key("f64", GgufValueType.FLOAT64).f64(-2.25);
        b.key("general.alignment", GgufValueType.UINT32).i32(64);
        b.key("strings", GgufValueType.ARRAY).i32(GgufValueType.STRING.id()).i64(3).str("a").str("").str("<0x0A>");
        b.key("nested", GgufValueType.ARRAY).i32(GgufValueType.ARRAY.id()).i64(2)
                .i32(GgufValueType.FLOAT32.id()).i64(2).f32(0.5f).f32(-1f)
                .i32(GgufValueType.INT16.id()).i64(1).i16(-7);
        b.str("tok_embd.weight").i32(2).i64(5).i64(3).i32(0).i64(0);
        b.str("out.bias").i32(1).i64(7).i32(1).i64(64);
        return b;
    }

    @Test
    void readsEveryValueTypeAndTensorInfos() {
        GgufBytes b = everyType();
        int headerEnd = b.size();
        GgufFile f = GgufFile.read(b.buffer(), "every-type");
        assertThat(f.version()).isEqualTo(3);
        assertThat(f.getInt("u8")).isEqualTo(250);
        assertThat(f.getInt("i8")).isEqualTo(-2);
        assertThat(f.getInt("u16")).isEqualTo(0xfffe);
        assertThat(f.getInt("i16")).isEqualTo(-300);
        assertThat(f.getLong("u32")).isEqualTo(0xffffffffL);
        assertThat(f.getInt("i32")).isEqualTo(-70000);
        assertThat(f.getDouble("f32")).isEqualTo(1.5);
        assertThat(f.getBoolean("bool")).isTrue();
        assertThat(f.getString("str")).isEqualTo("héllo ▁");
        assertThat(f.getLong("u64")).isEqualTo(1L << 40);
        assertThat(f.getLong("i64")).isEqualTo(-5);
        assertThat(f.getDouble("f64")).isEqualTo(-2.25);
        assertThat(f.getStringArray("strings")).containsExactly("a", "", "<0x0A>");
        GgufValue[] nested = (GgufValue[]) f.get("nested").value();
        assertThat((float[]) nested[0].value()).containsExactly(0.5f, -1f);
        assertThat((int[]) nested[1].value()).containsExactly(-7);
        assertThat(f.keys()).startsWith("u8", "i8", "u16");
        assertThat(f.tensors()).hasSize(2);
        GgufTensorInfo t = f.tensors().get(0);
        assertThat(t.name()).isEqualTo("tok_embd.weight");
        assertThat(t.dims()).containsExactly(5, 3);
        assertThat(t.elementCount()).isEqualTo(15);
        assertThat(f.tensors().get(1).offset()).isEqualTo(64);
        assertThat(f.dataStart()).isEqualTo((headerEnd + 63) / 64 * 64).isGreaterThan(headerEnd);
    }

    @Test
    void defaultAlignmentIs32AndTypedGettersRejectWrongTypes() {
        GgufBytes b = new GgufBytes().header(2, 0, 1);
        b.key("ids", GgufValueType.ARRAY).i32(GgufValueType.INT32.id()).i64(2).i32(4).i32(-9);
        GgufFile f = GgufFile.read(b.buffer(), "tiny");
        assertThat(f.dataStart()).isEqualTo((b.size() + 31) / 32 * 32);
        assertThat(f.getIntArray("ids")).containsExactly(4, -9);
        assertThat(f.getLongArray("ids")).containsExactly(4, -9);
        assertThatThrownBy(() -> f.getString("ids")).hasMessageContaining("tiny").hasMessageContaining("'ids'")
                .hasMessageContaining("array of INT32");
        assertThatThrownBy(() -> f.getString("missing")).hasMessageContaining("no metadata key 'missing'");
    }

    @Test
    void mapsTensorDataOfAFile(@TempDir Path dir) throws Exception {
        GgufBytes b = new GgufBytes().header(3, 1, 0);
        b.str("w").i32(1).i64(3).i32(0).i64(0);
        int start = (b.size() + 31) / 32 * 32;
        while (b.size() < start) b.u8(0);
        b.f32(1f).f32(2f).f32(-3f);
        Path p = dir.resolve("w.gguf");
        Files.write(p, b.bytes());
        GgufFile f = GgufFile.open(p);
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var seg = f.mapData(f.tensors().get(0), 12, arena);
            float[] v = seg.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN));
            assertThat(v).containsExactly(1f, 2f, -3f);
            assertThatThrownBy(() -> f.mapData(f.tensors().get(0), 16, arena)).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("needs 16 bytes");
        }
    }

    @Test
    void badMagicNamesFileAndOffset() {
        byte[] bytes = everyType().bytes();
        bytes[0] = 'X';
        assertThatThrownBy(() -> GgufFile.read(ByteBuffer.wrap(bytes), "bad.gguf")).isInstanceOf(GgufFormatException.class)
                .hasMessageStartingWith("bad.gguf at byte 0: bad magic");
    }

    @Test
    void unknownValueTypeNamesKeyAndOffset() {
        GgufBytes b = new GgufBytes().header(3, 0, 1).str("k");
        int at = b.size();
        b.i32(13).i32(0);
        assertThatThrownBy(() -> GgufFile.read(b.buffer(), "t.gguf")).isInstanceOf(GgufFormatException.class)
                .hasMessage("t.gguf at byte " + at + ": unknown value type of 'k' 13");
    }

    @Test
    void unsupportedVersionIsRejected() {
        GgufBytes b = new GgufBytes().header(1, 0, 0);
        assertThatThrownBy(() -> GgufFile.read(b.buffer(), "v1")).hasMessageContaining("at byte 4: unsupported GGUF version 1");
    }

    static Stream<Integer> cuts() {
        int n = everyType().size();
        Random r = new Random(11);
        return Stream.concat(Stream.of(0, 3, 4, 23, n - 1), IntStream.range(0, 12).mapToObj(i -> 1 + r.nextInt(n - 2)));
    }

    /** Every prefix of a valid header must fail with a truncation message rather than an unchecked buffer error. */
    @ParameterizedTest
    @MethodSource("cuts")
    void truncationAnywhereIsReported(int cut) {
        byte[] bytes = Arrays.copyOf(everyType().bytes(), cut);
        assertThatThrownBy(() -> GgufFile.read(ByteBuffer.wrap(bytes), "cut.gguf")).isInstanceOf(GgufFormatException.class)
                .hasMessageStartingWith("cut.gguf at byte ").hasMessageContaining("truncated");
    }

    @ParameterizedTest
    @CsvSource({"ggml-vocab-bert-bge.gguf, bert, 30522", "ggml-vocab-phi-3.gguf, llama, 32064",
            "ggml-vocab-gpt-2.gguf, gpt2, 50257"})
    void readsLlamaCppVocabularies(String file, String model, int tokens) {
        GgufFile f = GgufFile.open(SharedData.resolve("llama-cpp-vocab/" + file));
        assertThat(f.version()).isEqualTo(3);
        assertThat(f.tensors()).isEmpty();
        assertThat(f.getString("tokenizer.ggml.model")).isEqualTo(model);
        assertThat(f.getStringArray("tokenizer.ggml.tokens")).hasSize(tokens);
        if (f.has("tokenizer.ggml.scores")) assertThat(f.getFloatArray("tokenizer.ggml.scores")).hasSize(tokens);
        assertThat(f.getIntArray("tokenizer.ggml.token_type")).hasSize(tokens);
    }
}
