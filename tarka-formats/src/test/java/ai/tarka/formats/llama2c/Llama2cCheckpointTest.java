package ai.tarka.formats.llama2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

class Llama2cCheckpointTest {
    @TempDir
    Path dir;

    /**
     * Writes a checkpoint the way llama2.c's export.py does (legacy_export or version1_export), remembering each
     * Meta-named tensor's values; matrices are nn.Linear weights [out, in] flattened row-major.
     */
    static final class Exporter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Map<String, float[]> tensors = new LinkedHashMap<>();
        final Random r;
        final int dim, hidden, layers, heads, kvHeads, vocab, seqLen;
        final int kvDim;

        Exporter(long seed, int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen) {
            this.r = new Random(seed);
            this.dim = dim;
            this.hidden = hidden;
            this.layers = layers;
            this.heads = heads;
            this.kvHeads = kvHeads;
            this.vocab = vocab;
            this.seqLen = seqLen;
            this.kvDim = dim / heads * kvHeads;
        }

        void ints(int... v) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int x : v) b.putInt(x);
            out.writeBytes(b.array());
        }

        void floats(float[] v) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) b.putFloat(x);
            out.writeBytes(b.array());
        }

        void serialize(String name, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
            tensors.put(name, v);
            floats(v);
        }

        void perLayer(String suffix, int n) {
            for (int i = 0; i < layers; i++) serialize("layers." + i + "." + suffix, n);
        }

        byte[] legacy(boolean shared) {
            ints(dim, hidden, layers, heads, kvHeads, shared ? vocab : -vocab, seqLen);
            serialize("tok_embeddings.weight", vocab * dim);
            perLayer("attention_norm.weight", dim);
            perLayer("attention.wq.weight", dim * dim);
            perLayer("attention.wk.weight", kvDim * dim);
            perLayer("attention.wv.weight", kvDim * dim);
            perLayer("attention.wo.weight", dim * dim);
            perLayer("ffn_norm.weight", dim);
            perLayer("feed_forward.w1.weight", hidden * dim);
            perLayer("feed_forward.w2.weight", dim * hidden);
            perLayer("feed_forward.w3.weight", hidden * dim);
            serialize("norm.weight", dim);
            floats(new float[seqLen * (dim / heads) / 2]); // freqs_cos
            floats(new float[seqLen * (dim / heads) / 2]); // freqs_sin
            classifier(shared);
            return out.toByteArray();
        }

        byte[] version1(boolean shared) {
            ints(Llama2cCheckpoint.MAGIC, 1, dim, hidden, layers, heads, kvHeads, vocab, seqLen);
            out.write(shared ? 1 : 0);
            out.writeBytes(new byte[256 - out.size()]);
            perLayer("attention_norm.weight", dim);
            perLayer("ffn_norm.weight", dim);
            serialize("norm.weight", dim);
            serialize("tok_embeddings.weight", vocab * dim);
            perLayer("attention.wq.weight", dim * dim);
            perLayer("attention.wk.weight", kvDim * dim);
            perLayer("attention.wv.weight", kvDim * dim);
            perLayer("attention.wo.weight", dim * dim);
            perLayer("feed_forward.w1.weight", hidden * dim);
            perLayer("feed_forward.w2.weight", dim * hidden);
            perLayer("feed_forward.w3.weight", hidden * dim);
            classifier(shared);
            return out.toByteArray();
        }

        void classifier(boolean shared) {
            if (shared) tensors.put("output.weight", tensors.get("tok_embeddings.weight"));
            else serialize("output.weight", vocab * dim);
        }

        long[] shapeOf(String name) {
            if (name.startsWith("tok_") || name.startsWith("output")) return new long[]{vocab, dim};
            if (name.endsWith("norm.weight")) return new long[]{dim};
            if (name.contains(".wk.") || name.contains(".wv.")) return new long[]{kvDim, dim};
            if (name.contains(".wq.") || name.contains(".wo.")) return new long[]{dim, dim};
            if (name.contains(".w2.")) return new long[]{dim, hidden};
            return new long[]{hidden, dim};
        }
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(1L, 0, true, 12, 20, 2, 3, 3, 7, 5),
                Arguments.of(2L, 0, false, 12, 20, 2, 6, 2, 11, 3),
                Arguments.of(3L, 1, true, 16, 36, 3, 4, 2, 9, 4),
                Arguments.of(4L, 1, false, 10, 14, 1, 5, 1, 13, 2));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void exportedTensorsReadBackUnderMetaNames(long seed, int version, boolean shared, int dim, int hidden, int layers,
                                               int heads, int kvHeads, int vocab, int seqLen) throws IOException {
        Exporter ex = new Exporter(seed, dim, hidden, layers, heads, kvHeads, vocab, seqLen);
        Path f = dir.resolve("m.bin");
        Files.write(f, version == 0 ? ex.legacy(shared) : ex.version1(shared));
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(f)) {
            assertThat(c.config()).isEqualTo(new Llama2cConfig(version, dim, hidden, layers, heads, kvHeads, vocab, seqLen, shared));
            assertThat(c.entries()).hasSize(ex.tensors.size()).hasSize(3 + 9 * layers);
            for (Map.Entry<String, float[]> t : ex.tensors.entrySet()) {
                TensorEntry e = c.find(t.getKey());
                assertThat(e).as(t.getKey()).isNotNull();
                assertThat(e.shape()).as(t.getKey()).containsExactly(ex.shapeOf(t.getKey()));
                assertThat(c.readFloats(t.getKey())).as(t.getKey()).containsExactly(t.getValue());
            }
            float[] dst = new float[dim + 2];
            c.readFloats("norm.weight", dst, 2);
            assertThat(Arrays.copyOfRange(dst, 2, dim + 2)).containsExactly(ex.tensors.get("norm.weight"));
        }
    }

    @Test
    void truncatedFileNamesExpectedAndActualSize() throws IOException {
        byte[] b = new Exporter(5, 8, 12, 1, 2, 1, 5, 4).legacy(true);
        Path f = dir.resolve("t.bin");
        Files.write(f, Arrays.copyOf(b, b.length - 3));
        assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).isInstanceOf(TensorFormatException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining("implies " + b.length + " bytes but the file has " + (b.length - 3))
                .hasMessageContaining("truncated");
        Files.write(f, new byte[10]);
        assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).hasMessageContaining("10 bytes").hasMessageContaining("truncated");
    }

    @Test
    void quantisedAndUnknownVersionsAreRefusedClearly() throws IOException {
        Path f = dir.resolve("q.bin");
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN).putInt(Llama2cCheckpoint.MAGIC).putInt(2);
        Files.write(f, b.array());
        assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("quantised llama2.c export not supported, re-export with version 1");
        Files.write(f, b.putInt(4, 7).array());
        assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).hasMessageContaining("version 7");
    }

    @Test
    void nonsenseHeadersAreRejected() throws IOException {
        Path f = dir.resolve("x.bin");
        Files.write(f, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(64).putInt(172).putInt(0).array());
        assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).hasMessageContaining("n_layers").hasMessageContaining("byte 8");
        Files.write(f, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(64).putInt(172).putInt(5).putInt(6)
                .putInt(3).putInt(512).putInt(512).array());
        assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).hasMessageContaining("dim 64 is not a multiple of n_heads 6");
        Files.write(f, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MAX_VALUE)
                .putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE).putInt(1).putInt(1).putInt(Integer.MAX_VALUE)
                .putInt(1).array());
        assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).isInstanceOf(TensorFormatException.class)
                .hasMessageStartingWith(f.toString());
        assertThat(List.of(dir.toFile().list())).containsExactly("x.bin");
    }
}
