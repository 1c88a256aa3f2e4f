package ai.tarka.inference.convert;

import ai.tarka.formats.gguf.GgmlType;
import ai.tarka.formats.gguf.GgufValue;
import ai.tarka.formats.gguf.GgufValueType;
import ai.tarka.inference.LayerWeights;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.RopeLayout;
import ai.tarka.inference.WeightMatrix;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Llama weights as a GGUF v3 file that llama.cpp reads: its tensor names ({@code token_embd.weight},
 * {@code blk.N.attn_q.weight}, ...) and order, dims innermost-first, q/k rows in Meta's adjacent-pair RoPE order
 * (permuted back from Hugging Face's halves when the source had them), tensor data aligned to 32 bytes (GGUF's
 * default {@code general.alignment}), and the {@code llama.*} hyper-parameter keys llama.cpp's loader requires.
 * Matrices whose rows do not fill the target's blocks stay F32 (llama.cpp keeps such tensors unquantised too); norms
 * are F32. The file is written to a temporary name beside {@code out} and moved into place.
 */
public final class GgufLlamaWriter {
    private GgufLlamaWriter() {}

    static final int ALIGNMENT = 32;

    private record Tensor(String name, long[] dims, GgmlType type, MemorySegment data) {}

    /**
     * @param target    the format of every matrix that fits its blocks: F32, F16, BF16, Q8_0 or Q4_0
     * @param tokenizer {@code tokenizer.*} metadata to copy (may be empty)
     */
    public static void write(LlamaWeights w, QuantFormat target, Map<String, GgufValue> tokenizer, String name, Path out) {
        GgmlType fileType = ggml(target);
        ModelConfig c = w.config();
        try (Arena arena = Arena.ofConfined()) {
            List<Tensor> tensors = new ArrayList<>();
            tensors.add(matrix("token_embd.weight", w.embedding(), target, 0, arena, w.rope()));
            tensors.add(vector("output_norm.weight", w.finalNorm(), arena));
            if (w.output() != w.embedding()) tensors.add(matrix("output.weight", w.output(), target, 0, arena, w.rope()));
            for (int l = 0; l < c.numLayers(); l++) {
                LayerWeights lw = w.layers()[l];
                String p = "blk." + l + ".";
                tensors.add(matrix(p + "attn_q.weight", lw.wq(), target, c.numHeads(), arena, w.rope()));
                tensors.add(matrix(p + "attn_k.weight", lw.wk(), target, c.numKvHeads(), arena, w.rope()));
                tensors.add(matrix(p + "attn_v.weight", lw.wv(), target, 0, arena, w.rope()));
                tensors.add(matrix(p + "attn_output.weight", lw.wo(), target, 0, arena, w.rope()));
                tensors.add(vector(p + "attn_norm.weight", lw.attnNorm(), arena));
                tensors.add(matrix(p + "ffn_gate.weight", lw.gate(), target, 0, arena, w.rope()));
                tensors.add(matrix(p + "ffn_down.weight", lw.down(), target, 0, arena, w.rope()));
                tensors.add(matrix(p + "ffn_up.weight", lw.up(), target, 0, arena, w.rope()));
                tensors.add(vector(p + "ffn_norm.weight", lw.ffnNorm(), arena));
                if (lw.qBias() != null) {
                    tensors.add(vector(p + "attn_q.bias", permuteBias(lw.qBias(), c.numHeads(), c.headDim(), w.rope()), arena));
                    tensors.add(vector(p + "attn_k.bias", permuteBias(lw.kBias(), c.numKvHeads(), c.headDim(), w.rope()), arena));
                    tensors.add(vector(p + "attn_v.bias", lw.vBias(), arena));
                }
            }
            Map<String, GgufValue> meta = new LinkedHashMap<>();
            meta.put("general.architecture", str("llama"));
            meta.put("general.name", str(name));
            meta.put("general.file_type", u32(fileTypeId(fileType)));
            meta.put("general.quantization_version", u32(2));
            meta.put("llama.vocab_size", u32(c.vocabSize()));
            meta.put("llama.context_length", u32(c.maxPositions()));
            meta.put("llama.embedding_length", u32(c.hiddenSize()));
            meta.put("llama.block_count", u32(c.numLayers()));
            meta.put("llama.feed_forward_length", u32(c.intermediateSize()));
            meta.put("llama.rope.dimension_count", u32(c.headDim()));
            meta.put("llama.attention.head_count", u32(c.numHeads()));
            meta.put("llama.attention.head_count_kv", u32(c.numKvHeads()));
            meta.put("llama.attention.layer_norm_rms_epsilon", new GgufValue(GgufValueType.FLOAT32, null, (float) c.normEps()));
            meta.put("llama.rope.freq_base", new GgufValue(GgufValueType.FLOAT32, null, (float) c.ropeTheta()));
            tokenizer.forEach((k, v) -> {
                if (k.startsWith("tokenizer.")) meta.put(k, v);
            });
            writeFile(out, meta, tensors);
        }
    }

    /** The GGUF type of a target format; NF4 has none (llama.cpp cannot read it). */
    public static GgmlType ggml(QuantFormat f) {
        return switch (f) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            case Q8_0 -> GgmlType.Q8_0;
            case Q4_0 -> GgmlType.Q4_0;
            case NF4 -> throw new IllegalArgumentException("GGUF output: NF4 has no ggml type, so llama.cpp could not read "
                    + "the file; write nf4 with a .safetensors output, or choose q4_0 (4.5 bits per weight)");
        };
    }

    /** llama.cpp's {@code llama_ftype} ids: ALL_F32 0, MOSTLY_F16 1, MOSTLY_Q4_0 2, MOSTLY_Q8_0 7, MOSTLY_BF16 32. */
    static int fileTypeId(GgmlType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case BF16 -> 32;
            default -> throw new IllegalArgumentException("no llama file type for " + t);
        };
    }

    private static GgufValue str(String s) {
        return new GgufValue(GgufValueType.STRING, null, s);
    }

    private static GgufValue u32(long v) {
        return new GgufValue(GgufValueType.UINT32, null, v);
    }

    private static Tensor vector(String name, float[] v, Arena arena) {
        MemorySegment seg = arena.allocate(4L * v.length, 4);
        QuantFormatCodec.encode(QuantFormat.F32, v, v.length, 1, seg);
        return new Tensor(name, new long[] {v.length}, GgmlType.F32, seg);
    }

    /** {@code ropeHeads > 0}: a q/k matrix with that many heads, whose rows go back to Meta's order if they are HF's. */
    private static Tensor matrix(String name, WeightMatrix m, QuantFormat target, int ropeHeads, Arena arena, RopeLayout rope) {
        QuantFormat f = m.cols() % target.blockSize() == 0 ? target : QuantFormat.F32;
        long[] dims = {m.cols(), m.rows()};
        boolean permute = ropeHeads > 0 && rope == RopeLayout.HALVES;
        if (m.format() == f && !permute) return new Tensor(name, dims, ggml(f), m.data().asSlice(0, f.rowBytes(m.cols()) * m.rows()));
        float[] v = m.toFloats();
        if (permute) v = hfToMetaRows(v, ropeHeads, m.rows() / ropeHeads, m.cols());
        MemorySegment seg = arena.allocate(f.rowBytes(m.cols()) * m.rows(), 32);
        QuantFormatCodec.encode(f, v, m.rows(), m.cols(), seg);
        return new Tensor(name, dims, ggml(f), seg);
    }

    /** Meta row {@code h·D + 2i + j} ← HF row {@code h·D + j·D/2 + i}: the inverse of the HF conversion's permutation. */
    static float[] hfToMetaRows(float[] w, int heads, int headDim, int in) {
        float[] out = new float[w.length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
            for (int j = 0; j < 2; j++)
                for (int i = 0; i < half; i++)
                    System.arraycopy(w, (h * headDim + j * half + i) * in, out, (h * headDim + 2 * i + j) * in, in);
        return out;
    }

    private static float[] permuteBias(float[] b, int heads, int headDim, RopeLayout rope) {
        return rope == RopeLayout.HALVES ? hfToMetaRows(b, heads, headDim, 1) : b;
    }

    private static void writeFile(Path out, Map<String, GgufValue> meta, List<Tensor> tensors) {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + out.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                HeaderBuffer h = new HeaderBuffer();
                h.u32(0x46554747).u32(3).u64(tensors.size()).u64(meta.size());
                for (var e : meta.entrySet()) {
                    h.string(e.getKey());
                    h.u32(e.getValue().type().id());
                    h.value(e.getValue(), e.getKey());
                }
                long offset = 0;
                List<Long> offsets = new ArrayList<>();
                for (Tensor t : tensors) {
                    h.string(t.name()).u32(t.dims().length);
                    for (long d : t.dims()) h.u64(d);
                    h.u32(t.type().id()).u64(offset);
                    offsets.add(offset);
                    offset = align(offset + t.data().byteSize());
                }
                h.padTo(ALIGNMENT);
                long dataStart = h.size();
                ch.write(h.bytes());
                for (int i = 0; i < tensors.size(); i++) {
                    ch.position(dataStart + offsets.get(i));
                    MemorySegment d = tensors.get(i).data();
                    // heap segments over float[] cannot be viewed as a ByteBuffer: copy those out as bytes
                    ByteBuffer b = d.isNative() ? d.asByteBuffer() : ByteBuffer.wrap(d.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    while (b.hasRemaining()) ch.write(b);
                }
                // pad the last tensor to the alignment, as llama.cpp's writer does
                long end = dataStart + offset;
                if (ch.size() < end) {
                    ch.position(ch.size());
                    ch.write(ByteBuffer.allocate((int) (end - ch.size())));
                }
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new UncheckedIOException("cannot write GGUF " + out + ": " + e.getMessage(), e);
        }
    }

    static long align(long x) {
        return (x + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A growable little-endian buffer for the header. */
    private static final class HeaderBuffer {
        private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                bigger.put(b);
                b = bigger;
            }
        }

        HeaderBuffer u32(long v) {
            room(4);
            b.putInt((int) v);
            return this;
        }

        HeaderBuffer u64(long v) {
            room(8);
            b.putLong(v);
            return this;
        }

        HeaderBuffer string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            room(bytes.length);
            b.put(bytes);
            return this;
        }

        void scalar(GgufValueType t, Object v, String key) {
            switch (t) {
                case UINT8, INT8, BOOL -> {
                    room(1);
                    b.put((byte) (v instanceof Boolean bo ? (bo ? 1 : 0) : ((Number) v).intValue()));
                }
                case UINT16, INT16 -> {
                    room(2);
                    b.putShort((short) ((Number) v).intValue());
                }
                case UINT32, INT32 -> u32(((Number) v).longValue());
                case FLOAT32 -> {
                    room(4);
                    b.putFloat(((Number) v).floatValue());
                }
                case UINT64, INT64 -> u64(((Number) v).longValue());
                case FLOAT64 -> {
                    room(8);
                    b.putDouble(((Number) v).doubleValue());
                }
                case STRING -> string((String) v);
                case ARRAY -> throw new IllegalArgumentException("GGUF metadata '" + key + "': nested value where a scalar belongs");
            }
        }

        void value(GgufValue v, String key) {
            if (v.type() != GgufValueType.ARRAY) {
                scalar(v.type(), v.value(), key);
                return;
            }
            GgufValueType et = v.elementType();
            u32(et.id());
            Object a = v.value();
            switch (a) {
                case int[] x -> {
                    u64(x.length);
                    for (int e : x) scalar(et, e, key);
                }
                case long[] x -> {
                    u64(x.length);
                    for (long e : x) scalar(et, e, key);
                }
                case float[] x -> {
                    u64(x.length);
                    for (float e : x) scalar(et, e, key);
                }
                case double[] x -> {
                    u64(x.length);
                    for (double e : x) scalar(et, e, key);
                }
                case boolean[] x -> {
                    u64(x.length);
                    for (boolean e : x) scalar(et, e, key);
                }
                case String[] x -> {
                    u64(x.length);
                    for (String e : x) string(e);
                }
                case GgufValue[] x -> {
                    u64(x.length);
                    for (GgufValue e : x) value(e, key);
                }
                default -> throw new IllegalArgumentException("GGUF metadata '" + key + "': unsupported array " + a.getClass());
            }
        }

        void padTo(int alignment) {
            int pad = (int) (align(b.position()) - b.position());
            room(pad);
            for (int i = 0; i < pad; i++) b.put((byte) 0);
        }

        long size() {
            return b.position();
        }

        ByteBuffer bytes() {
            ByteBuffer out = b.duplicate();
            out.flip();
            return out;
        }
    }
}
