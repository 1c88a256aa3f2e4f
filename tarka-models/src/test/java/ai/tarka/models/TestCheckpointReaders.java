package ai.tarka.models;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.formats.gguf.GgufTensorInfo;
import ai.tarka.formats.tensors.TensorDType;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorSource;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only readers of the stories260K files (llama2.c legacy {@code .bin} and F32 GGUF), until tarka-formats'
 * {@code Llama2cCheckpoint} and {@code GgufTensors} are on main. They expose the same names as those will: Meta names
 * for the {@code .bin}, GGUF names for the GGUF, shapes outermost-first.
 */
final class TestCheckpointReaders {
    private TestCheckpointReaders() {}

    record Llama2c(ModelConfig config, TensorSource source) {}

    static Llama2c llama2c(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int dim = buf.getInt(), hidden = buf.getInt(), layers = buf.getInt(), heads = buf.getInt(), kv = buf.getInt();
        int vocab = buf.getInt(), seq = buf.getInt();
        boolean shared = vocab > 0;
        vocab = Math.abs(vocab);
        int kvDim = dim / heads * kv;
        Map<String, float[]> t = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        put(t, shapes, buf, "tok_embeddings.weight", vocab, dim);
        stacked(t, shapes, buf, layers, "attention_norm.weight", dim);
        stacked(t, shapes, buf, layers, "attention.wq.weight", dim, dim);
        stacked(t, shapes, buf, layers, "attention.wk.weight", kvDim, dim);
        stacked(t, shapes, buf, layers, "attention.wv.weight", kvDim, dim);
        stacked(t, shapes, buf, layers, "attention.wo.weight", dim, dim);
        stacked(t, shapes, buf, layers, "ffn_norm.weight", dim);
        stacked(t, shapes, buf, layers, "feed_forward.w1.weight", hidden, dim);
        stacked(t, shapes, buf, layers, "feed_forward.w2.weight", dim, hidden);
        stacked(t, shapes, buf, layers, "feed_forward.w3.weight", hidden, dim);
        put(t, shapes, buf, "norm.weight", dim);
        buf.position(buf.position() + 2 * 4 * seq * (dim / heads / 2));
        if (shared) {
            t.put("output.weight", t.get("tok_embeddings.weight"));
            shapes.put("output.weight", new long[] {vocab, dim});
        } else {
            put(t, shapes, buf, "output.weight", vocab, dim);
        }
        ModelConfig config = LlamaCheckpoints.llama2cConfig(dim, hidden, layers, heads, kv, vocab, seq, shared);
        return new Llama2c(config, source(file.toString(), t, shapes));
    }

    private static void stacked(Map<String, float[]> t, Map<String, long[]> shapes, ByteBuffer buf, int layers, String name,
                                int... shape) {
        for (int l = 0; l < layers; l++) put(t, shapes, buf, "layers." + l + "." + name, shape);
    }

    private static void put(Map<String, float[]> t, Map<String, long[]> shapes, ByteBuffer buf, String name, int... shape) {
        int n = 1;
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            s[i] = shape[i];
        }
        float[] v = new float[n];
        buf.asFloatBuffer().get(v);
        buf.position(buf.position() + 4 * n);
        t.put(name, v);
        shapes.put(name, s);
    }

    /** F32 tensors of a GGUF file, dims reversed to outermost-first. */
    static TensorSource gguf(GgufFile gguf) {
        Map<String, float[]> t = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            for (GgufTensorInfo info : gguf.tensors()) {
                if (info.ggmlType() != 0) throw new IllegalArgumentException(info.name() + ": not F32");
                long[] s = new long[info.dims().length];
                for (int i = 0; i < s.length; i++) s[i] = info.dims()[s.length - 1 - i];
                int n = Math.toIntExact(info.elementCount());
                float[] v = gguf.mapData(info, 4L * n, arena)
                        .toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
                t.put(info.name(), v);
                shapes.put(info.name(), s);
            }
        }
        return source(gguf.source(), t, shapes);
    }

    private static TensorSource source(String description, Map<String, float[]> tensors, Map<String, long[]> shapes) {
        List<TensorEntry> entries = new ArrayList<>();
        for (var e : shapes.entrySet()) entries.add(new TensorEntry(e.getKey(), TensorDType.F32, e.getValue()));
        return new TensorSource() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public List<TensorEntry> entries() {
                return entries;
            }

            @Override
            public float[] readFloats(String name) {
                return tensors.get(name).clone();
            }
        };
    }
}
