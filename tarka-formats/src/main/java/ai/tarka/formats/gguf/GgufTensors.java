package ai.tarka.formats.gguf;

import ai.tarka.formats.tensors.FloatDecoding;
import ai.tarka.formats.tensors.TensorDType;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import ai.tarka.formats.tensors.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of a GGUF file as a {@link TensorSource}: names as stored ({@code blk.0.attn_q.weight}), shapes
 * outermost-first (GGUF lists dims innermost-first, so they are reversed: {@code token_embd.weight} stored as
 * (64, 512) is reported [512, 64], row-major like PyTorch). The file is memory-mapped once. F32, F16, BF16 and F64
 * convert to F32; block-quantised types are listed (dtype {@link TensorDType#QUANTIZED}) with their raw bytes
 * available through {@link #bytes}, for the inference path to decode.
 */
public final class GgufTensors implements TensorSource {
    private record Slot(TensorEntry entry, GgmlType type, long start, long byteSize) {
    }

    private final GgufFile header;
    private final Arena arena;
    private final MemorySegment file;
    private final List<TensorEntry> entries;
    private final Map<String, Slot> slots;

    private GgufTensors(GgufFile header, Arena arena, MemorySegment file, List<Slot> ordered) {
        this.header = header;
        this.arena = arena;
        this.file = file;
        List<TensorEntry> list = new ArrayList<>();
        Map<String, Slot> byName = new HashMap<>();
        for (Slot s : ordered) {
            list.add(s.entry());
            byName.put(s.entry().name(), s);
        }
        this.entries = List.copyOf(list);
        this.slots = byName;
    }

    /** Reads the header of a GGUF file and maps its tensor data. */
    public static GgufTensors open(Path file) {
        return of(GgufFile.open(file));
    }

    /** Maps the tensor data of an already-read header. */
    public static GgufTensors of(GgufFile header) {
        Path path = header.path();
        if (path == null) throw new IllegalArgumentException(header.source() + ": tensors can only be mapped from a file");
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufTensors(header, arena, seg, slots(header, seg.byteSize()));
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot map GGUF file " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static List<Slot> slots(GgufFile header, long fileSize) {
        List<Slot> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (GgufTensorInfo t : header.tensors()) {
            String where = "tensor '" + t.name() + "'";
            if (!seen.add(t.name())) throw error(header, "duplicate " + where);
            GgmlType type = GgmlType.ofId(t.ggmlType());
            if (type == null) throw error(header, where + " has unknown ggml type id " + t.ggmlType());
            long[] dims = t.dims();
            long count = 1;
            try {
                for (long d : dims) count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw error(header, where + " element count overflows 64 bits");
            }
            long inner = dims.length == 0 ? 1 : dims[0];
            if (inner % type.blockSize() != 0)
                throw error(header, where + " innermost dimension " + inner + " is not a multiple of the " + type
                        + " block size " + type.blockSize());
            long bytes = count / type.blockSize() * type.blockBytes();
            long start = header.dataStart() + t.offset();
            if (t.offset() < 0 || start > fileSize || bytes > fileSize - start)
                throw error(header, where + " (" + type + ", " + bytes + " bytes at file offset " + start
                        + ") runs past the end of the " + fileSize + "-byte file (truncated?)");
            long[] shape = new long[dims.length];
            for (int i = 0; i < dims.length; i++) shape[i] = dims[dims.length - 1 - i];
            out.add(new Slot(new TensorEntry(t.name(), type.dtype(), shape), type, start, bytes));
        }
        return out;
    }

    private static TensorFormatException error(GgufFile header, String problem) {
        return new TensorFormatException(header.source() + ": " + problem);
    }

    /** The parsed header (metadata and tensor infos). */
    public GgufFile header() {
        return header;
    }

    @Override
    public String description() {
        return header.source();
    }

    /** Tensors in header order. */
    @Override
    public List<TensorEntry> entries() {
        return entries;
    }

    @Override
    public TensorEntry find(String name) {
        Slot s = slots.get(name);
        return s == null ? null : s.entry();
    }

    /** The stored ggml type of a tensor. */
    public GgmlType ggmlType(String name) {
        return slot(name).type();
    }

    /** The tensor's raw bytes, a slice of the mapping (valid until {@link #close}). */
    public MemorySegment bytes(String name) {
        Slot s = slot(name);
        return file.asSlice(s.start(), s.byteSize());
    }

    @Override
    public float[] readFloats(String name) {
        Slot s = checkFloat(name);
        long n = s.entry().elementCount();
        if (n > Integer.MAX_VALUE - 8)
            throw error(header, "tensor '" + name + "' has " + n + " elements, too many for one Java array");
        float[] out = new float[(int) n];
        FloatDecoding.decode(file, s.start(), s.entry().dtype(), out, 0, (int) n);
        return out;
    }

    @Override
    public void readFloats(String name, float[] dst, int offset) {
        Slot s = checkFloat(name);
        long n = s.entry().elementCount();
        if (offset < 0 || n > dst.length - (long) offset)
            throw new IllegalArgumentException(header.source() + ": readFloats('" + name + "') needs " + n
                    + " floats at offset " + offset + " but the destination holds " + dst.length);
        FloatDecoding.decode(file, s.start(), s.entry().dtype(), dst, offset, (int) n);
    }

    private Slot checkFloat(String name) {
        Slot s = slot(name);
        if (s.type().isQuantized())
            throw error(header, "tensor '" + name + "' is " + s.type() + ", a quantised type: it is decoded by the "
                    + "inference path, not converted by readFloats (which reads F32, F16, BF16, F64)");
        if (!s.entry().dtype().isFloat())
            throw error(header, "tensor '" + name + "' is " + s.type() + ", not a float type that converts to F32");
        return s;
    }

    private Slot slot(String name) {
        Slot s = slots.get(name);
        if (s == null) throw error(header, "no tensor named '" + name + "' (" + slots.size() + " tensors in the file)");
        return s;
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "GgufTensors[" + header.source() + ", " + entries.size() + " tensors]";
    }
}
