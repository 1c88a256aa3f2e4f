package ai.tarka.formats.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.formats.tensors.HalfFloats;
import ai.tarka.formats.tensors.TensorDType;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufTensorsTest {
    @TempDir
    Path dir;

    /**
     * A file with an F32 [3 x 5] matrix (GGUF dims 5, 3), an F16 vector of 7, a BF16 vector of 3 and a Q8_0 block,
     * all at 32-byte aligned offsets.
     */
    Path synthetic(Random r, float[] f32, float[] f16, float[] bf16, boolean truncate) throws IOException {
        GgufBytes b = new GgufBytes().header(3, 4, 1);
        b.key("general.architecture", GgufValueType.STRING).str("llama");
        b.str("m.weight").i32(2).i64(5).i64(3).i32(GgmlType.F32.id()).i64(0);
        b.str("h.weight").i32(1).i64(7).i32(GgmlType.F16.id()).i64(64);
        b.str("b.weight").i32(1).i64(3).i32(GgmlType.BF16.id()).i64(96);
        b.str("q.weight").i32(2).i64(32).i64(1).i32(GgmlType.Q8_0.id()).i64(128);
        while (b.size() % 32 != 0) b.u8(0);
        int data = b.size();
        for (float v : f32) b.f32(v);
        while (b.size() < data + 64) b.u8(0);
        for (float v : f16) b.i16(HalfFloats.floatToF16(v));
        while (b.size() < data + 96) b.u8(0);
        for (float v : bf16) b.i16(HalfFloats.floatToBf16(v));
        while (b.size() < data + 128) b.u8(0);
        for (int i = 0; i < 34; i++) b.u8(r.nextInt(256));
        byte[] bytes = b.bytes();
        if (truncate) bytes = Arrays.copyOf(bytes, bytes.length - 1);
        Path f = dir.resolve("t.gguf");
        Files.write(f, bytes);
        return f;
    }

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @Test
    void shapesAreReversedAndFloatTypesConvert() throws IOException {
        Random r = new Random(42);
        float[] f32 = random(r, 15), f16 = random(r, 7), bf16 = random(r, 3);
        Path f = synthetic(r, f32, f16, bf16, false);
        try (GgufTensors g = GgufTensors.open(f)) {
            assertThat(g.entries()).extracting(TensorEntry::name).containsExactly("m.weight", "h.weight", "b.weight", "q.weight");
            assertThat(g.find("m.weight").shape()).containsExactly(3, 5);
            assertThat(g.readFloats("m.weight")).containsExactly(f32);
            float[] h = g.readFloats("h.weight");
            for (int i = 0; i < 7; i++) assertThat(h[i]).isEqualTo(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f16[i])));
            float[] bb = new float[5];
            g.readFloats("b.weight", bb, 1);
            for (int i = 0; i < 3; i++) assertThat(bb[1 + i]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(bf16[i])));
            assertThat(g.find("q.weight").dtype()).isEqualTo(TensorDType.QUANTIZED);
            assertThat(g.find("q.weight").shape()).containsExactly(1, 32);
            assertThat(g.ggmlType("q.weight")).isEqualTo(GgmlType.Q8_0);
            assertThat(g.bytes("q.weight").byteSize()).isEqualTo(34);
            assertThatThrownBy(() -> g.readFloats("q.weight")).isInstanceOf(TensorFormatException.class)
                    .hasMessageStartingWith(f.toString()).hasMessageContaining("Q8_0").hasMessageContaining("inference path");
            assertThatThrownBy(() -> g.readFloats("zz")).isInstanceOf(TensorFormatException.class)
                    .hasMessageContaining("no tensor named 'zz'");
        }
    }

    @Test
    void truncatedDataNamesTheTensorAndSizes() throws IOException {
        Random r = new Random(1);
        Path f = synthetic(r, random(r, 15), random(r, 7), random(r, 3), true);
        assertThatThrownBy(() -> GgufTensors.open(f)).isInstanceOf(TensorFormatException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContaining("tensor 'q.weight'")
                .hasMessageContaining("34 bytes").hasMessageContaining("truncated");
    }

    @Test
    void stories260KTensorsMatchTheirMetadata() {
        Path f = SharedData.resolve("stories260K/stories260K.gguf");
        try (GgufTensors g = GgufTensors.open(f)) {
            GgufFile h = g.header();
            int dim = h.getInt("llama.embedding_length");
            int hidden = h.getInt("llama.feed_forward_length");
            int layers = h.getInt("llama.block_count");
            int heads = h.getInt("llama.attention.head_count");
            int kvHeads = h.getInt("llama.attention.head_count_kv");
            int vocab = h.getStringArray("tokenizer.ggml.tokens").length;
            int kvDim = dim / heads * kvHeads;
            assertThat(new int[]{dim, hidden, layers, heads, kvHeads, vocab}).containsExactly(64, 172, 5, 8, 4, 512);
            assertThat(g.entries()).hasSize(3 + 9 * layers);
            assertThat(g.find("token_embd.weight").shape()).containsExactly(vocab, dim);
            assertThat(g.find("output.weight").shape()).containsExactly(vocab, dim);
            assertThat(g.find("output_norm.weight").shape()).containsExactly(dim);
            for (int l = 0; l < layers; l++) {
                String p = "blk." + l + ".";
                assertThat(g.find(p + "attn_q.weight").shape()).containsExactly(dim, dim);
                assertThat(g.find(p + "attn_k.weight").shape()).containsExactly(kvDim, dim);
                assertThat(g.find(p + "attn_v.weight").shape()).containsExactly(kvDim, dim);
                assertThat(g.find(p + "attn_output.weight").shape()).containsExactly(dim, dim);
                assertThat(g.find(p + "ffn_gate.weight").shape()).containsExactly(hidden, dim);
                assertThat(g.find(p + "ffn_up.weight").shape()).containsExactly(hidden, dim);
                assertThat(g.find(p + "ffn_down.weight").shape()).containsExactly(dim, hidden);
                assertThat(g.find(p + "attn_norm.weight").shape()).containsExactly(dim);
                assertThat(g.find(p + "ffn_norm.weight").shape()).containsExactly(dim);
            }
            long params = 0;
            for (TensorEntry e : g.entries()) {
                assertThat(e.dtype()).isEqualTo(TensorDType.F32);
                float[] v = g.readFloats(e.name());
                assertThat(v).hasSize((int) e.elementCount());
                for (float x : v) assertThat(Float.isFinite(x)).as(e.name()).isTrue();
                params += v.length;
            }
            // 260K parameters, plus the classifier the converter stores again although it is tied to the embedding
            assertThat(params - (long) vocab * dim).isBetween(250_000L, 270_000L);
        }
    }
}
