package ai.tarka.formats.llama2c;

import ai.tarka.formats.tensors.TensorDType;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import ai.tarka.formats.tensors.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint written by Karpathy's llama2.c {@code export.py}: the legacy layout (version 0) or the versioned fp32
 * export (version 1). The stacked per-type arrays of the file are exposed unstacked per layer under Meta's names, each
 * matrix [out, in] row-major as a PyTorch {@code nn.Linear} weight (llama2.c's {@code matmul} computes
 * {@code xout = W x} with W of d rows and n columns, so the bytes already are in that order):
 * <ul>
 *   <li>{@code tok_embeddings.weight} [vocab, dim], {@code norm.weight} [dim],
 *       {@code output.weight} [vocab, dim] (the embedding's bytes when the classifier is shared)</li>
 *   <li>{@code layers.i.attention_norm.weight} [dim], {@code layers.i.ffn_norm.weight} [dim]</li>
 *   <li>{@code layers.i.attention.wq.weight} [dim, dim], {@code .wk} / {@code .wv} [kvDim, dim],
 *       {@code .wo} [dim, dim]</li>
 *   <li>{@code layers.i.feed_forward.w1.weight} and {@code .w3} [hidden, dim], {@code .w2} [dim, hidden]</li>
 * </ul>
 * The q/k rows are in Meta's order: RoPE rotates adjacent pairs (2j, 2j+1) within each head.
 */
public final class Llama2cCheckpoint implements TensorSource {
    /** "ak42" read as a little-endian uint32. */
    static final int MAGIC = 0x616b3432;
    static final int VERSIONED_HEADER_BYTES = 256;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private record Slot(TensorEntry entry, long byteOffset) {
    }

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final Llama2cConfig config;
    private final List<TensorEntry> entries;
    private final Map<String, Slot> slots;

    private Llama2cCheckpoint(Path path, Arena arena, MemorySegment file, Llama2cConfig config, List<Slot> ordered) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.config = config;
        List<TensorEntry> list = new ArrayList<>();
        Map<String, Slot> byName = new HashMap<>();
        for (Slot s : ordered) {
            list.add(s.entry());
            byName.put(s.entry().name(), s);
        }
        this.entries = List.copyOf(list);
        this.slots = byName;
    }

    /** Maps a {@code .bin} checkpoint, checking its size against the size its header implies. */
    public static Llama2cCheckpoint open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Llama2cConfig config = readConfig(file, seg);
            List<Slot> slots = layout(file, config, seg.byteSize());
            return new Llama2cCheckpoint(file, arena, seg, config, slots);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot read llama2.c checkpoint " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    static Llama2cConfig readConfig(Path file, MemorySegment seg) {
        long size = seg.byteSize();
        if (size < 4) throw error(file, "file is " + size + " bytes, too short for a llama2.c header (truncated)");
        int version = 0;
        long at = 0;
        boolean sharedFlag = false;
        if (seg.get(I32, 0) == MAGIC) {
            if (size < VERSIONED_HEADER_BYTES)
                throw error(file, "versioned llama2.c header needs " + VERSIONED_HEADER_BYTES + " bytes but the file has "
                        + size + " (truncated)");
            version = seg.get(I32, 4);
            if (version == 2)
                throw error(file, "quantised llama2.c export not supported, re-export with version 1 (this file is version 2, int8 Q8_0)");
            if (version != 1)
                throw error(file, "unsupported llama2.c export version " + version + " at byte 4 (version 1 and the "
                        + "legacy headerless layout are read)");
            at = 8;
            sharedFlag = seg.get(ValueLayout.JAVA_BYTE, 36) != 0;
        } else if (size < 28) {
            throw error(file, "file is " + size + " bytes, too short for the 28-byte llama2.c header (truncated)");
        }
        String[] names = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
        int[] v = new int[7];
        for (int i = 0; i < 7; i++) {
            v[i] = seg.get(I32, at + 4L * i);
            if (v[i] <= 0 && i != 5)
                throw error(file, "header field " + names[i] + " (byte " + (at + 4L * i) + ") is " + v[i]
                        + "; not a llama2.c checkpoint?");
        }
        int vocab = v[5];
        if (vocab == 0 || (version == 1 && vocab < 0) || vocab == Integer.MIN_VALUE)
            throw error(file, "header field vocab_size (byte " + (at + 20) + ") is " + vocab);
        boolean shared = version == 0 ? vocab > 0 : sharedFlag;
        Llama2cConfig c = new Llama2cConfig(version, v[0], v[1], v[2], v[3], v[4], Math.abs(vocab), v[6], shared);
        if (c.dim() % c.nHeads() != 0)
            throw error(file, "dim " + c.dim() + " is not a multiple of n_heads " + c.nHeads());
        if (c.nHeads() % c.nKvHeads() != 0)
            throw error(file, "n_heads " + c.nHeads() + " is not a multiple of n_kv_heads " + c.nKvHeads());
        if (version == 0 && c.headSize() % 2 != 0)
            throw error(file, "head size " + c.headSize() + " is odd; RoPE needs pairs");
        return c;
    }

    /** Byte offsets of every tensor, in file order, checked against the file size. */
    private static List<Slot> layout(Path file, Llama2cConfig c, long fileSize) {
        try {
            return layoutUnchecked(file, c, fileSize);
        } catch (ArithmeticException e) {
            throw error(file, "the header (" + describe(c) + ") implies a size beyond 2^63 bytes; not a llama2.c checkpoint?");
        }
    }

    private static List<Slot> layoutUnchecked(Path file, Llama2cConfig c, long fileSize) {
        Layout l = new Layout(c);
        if (c.version() == 0) {
            l.at = 28;
            l.whole("tok_embeddings.weight", c.vocabSize(), c.dim());
            l.stacked("attention_norm.weight", c.dim());
            l.stacked("attention.wq.weight", c.dim(), c.dim());
            l.stacked("attention.wk.weight", c.kvDim(), c.dim());
            l.stacked("attention.wv.weight", c.kvDim(), c.dim());
            l.stacked("attention.wo.weight", c.dim(), c.dim());
            l.stacked("ffn_norm.weight", c.dim());
            l.stacked("feed_forward.w1.weight", c.hiddenDim(), c.dim());
            l.stacked("feed_forward.w2.weight", c.dim(), c.hiddenDim());
            l.stacked("feed_forward.w3.weight", c.hiddenDim(), c.dim());
            l.whole("norm.weight", c.dim());
            // freq_cis_real and freq_cis_imag: [seq_len, head_size / 2] each; run.c recomputes RoPE, so skip them
            l.at = Math.addExact(l.at, 2L * 4 * c.seqLen() * (c.headSize() / 2));
        } else {
            l.at = VERSIONED_HEADER_BYTES;
            l.stacked("attention_norm.weight", c.dim());
            l.stacked("ffn_norm.weight", c.dim());
            l.whole("norm.weight", c.dim());
            l.whole("tok_embeddings.weight", c.vocabSize(), c.dim());
            l.stacked("attention.wq.weight", c.dim(), c.dim());
            l.stacked("attention.wk.weight", c.kvDim(), c.dim());
            l.stacked("attention.wv.weight", c.kvDim(), c.dim());
            l.stacked("attention.wo.weight", c.dim(), c.dim());
            l.stacked("feed_forward.w1.weight", c.hiddenDim(), c.dim());
            l.stacked("feed_forward.w2.weight", c.dim(), c.hiddenDim());
            l.stacked("feed_forward.w3.weight", c.hiddenDim(), c.dim());
        }
        if (c.sharedClassifier()) {
            long embedding = l.slots.stream().filter(s -> s.entry().name().equals("tok_embeddings.weight"))
                    .findFirst().orElseThrow().byteOffset();
            l.slots.add(new Slot(new TensorEntry("output.weight", TensorDType.F32, new long[]{c.vocabSize(), c.dim()}), embedding));
        } else {
            l.whole("output.weight", c.vocabSize(), c.dim());
        }
        if (l.at != fileSize)
            throw error(file, "the header (" + describe(c) + ") implies " + l.at + " bytes but the file has " + fileSize
                    + (fileSize < l.at ? " (truncated)" : " (extra bytes: wrong header or not a llama2.c checkpoint)"));
        return l.slots;
    }

    private static String describe(Llama2cConfig c) {
        return (c.version() == 0 ? "legacy" : "version " + c.version()) + " dim=" + c.dim() + " hidden_dim=" + c.hiddenDim()
                + " n_layers=" + c.nLayers() + " n_heads=" + c.nHeads() + " n_kv_heads=" + c.nKvHeads() + " vocab_size="
                + c.vocabSize() + (c.sharedClassifier() ? " shared" : " unshared") + " classifier, seq_len=" + c.seqLen();
    }

    /** Walks the file in storage order, handing out offsets. */
    private static final class Layout {
        final Llama2cConfig c;
        final List<Slot> slots = new ArrayList<>();
        long at;

        Layout(Llama2cConfig c) {
            this.c = c;
        }

        void whole(String name, long... shape) {
            slots.add(new Slot(new TensorEntry(name, TensorDType.F32, shape), at));
            at = Math.addExact(at, Math.multiplyExact(4L, count(shape)));
        }

        /** One array of [n_layers, shape...] in the file, one tensor per layer here. */
        void stacked(String suffix, long... shape) {
            for (int i = 0; i < c.nLayers(); i++) whole("layers." + i + "." + suffix, shape);
        }

        static long count(long[] shape) {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }
    }

    private static TensorFormatException error(Path file, String problem) {
        return new TensorFormatException(file + ": " + problem);
    }

    public Llama2cConfig config() {
        return config;
    }

    public Path path() {
        return path;
    }

    @Override
    public String description() {
        return path.toString();
    }

    /** Tensors in file order, then {@code output.weight}. */
    @Override
    public List<TensorEntry> entries() {
        return entries;
    }

    @Override
    public TensorEntry find(String name) {
        Slot s = slots.get(name);
        return s == null ? null : s.entry();
    }

    @Override
    public float[] readFloats(String name) {
        Slot s = slot(name);
        float[] out = new float[Math.toIntExact(s.entry().elementCount())];
        MemorySegment.copy(file, F32, s.byteOffset(), out, 0, out.length);
        return out;
    }

    @Override
    public void readFloats(String name, float[] dst, int offset) {
        Slot s = slot(name);
        long n = s.entry().elementCount();
        if (offset < 0 || n > dst.length - (long) offset)
            throw new IllegalArgumentException(path + ": readFloats('" + name + "') needs " + n + " floats at offset "
                    + offset + " but the destination holds " + dst.length);
        MemorySegment.copy(file, F32, s.byteOffset(), dst, offset, (int) n);
    }

    private Slot slot(String name) {
        Slot s = slots.get(name);
        if (s == null) throw error(path, "no tensor named '" + name + "' (" + slots.size() + " tensors in the checkpoint)");
        return s;
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "Llama2cCheckpoint[" + path + ", " + describe(config) + "]";
    }
}
