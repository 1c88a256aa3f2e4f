package ai.tarka.formats.safetensors;

import ai.tarka.formats.tensors.FloatDecoding;
import ai.tarka.formats.tensors.TensorDType;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import ai.tarka.formats.tensors.TensorSource;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. The whole file is mapped through an
 * {@link Arena}, so files over 2 GiB work; {@link #close} unmaps it.
 *
 * <p>The header is validated as the reference implementation does: the byte ranges must tile the data section
 * exactly (no overlap, no hole, nothing after the last tensor) and each range must hold dtype size × elements bytes.
 */
public final class SafetensorsFile implements TensorSource {
    /** The reference implementation refuses headers above 100 MB; so do we, before allocating anything. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Where one tensor's bytes lie, relative to the start of the data section. */
    private record Slot(TensorEntry entry, long begin, long end) {
    }

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final List<TensorEntry> entries;
    private final Map<String, Slot> slots;

    private SafetensorsFile(Path path, Arena arena, MemorySegment file, long dataStart, Map<String, String> metadata,
                            List<Slot> ordered) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.dataStart = dataStart;
        this.metadata = Collections.unmodifiableMap(metadata);
        List<TensorEntry> list = new ArrayList<>(ordered.size());
        Map<String, Slot> byName = new HashMap<>();
        for (Slot s : ordered) {
            list.add(s.entry());
            byName.put(s.entry().name(), s);
        }
        this.entries = List.copyOf(list);
        this.slots = byName;
    }

    /** Maps and validates a file; the mapping lives until {@link #close}. */
    public static SafetensorsFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return parse(file, arena, seg);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(Path path, Arena arena, MemorySegment seg) {
        long size = seg.byteSize();
        if (size < 8)
            throw error(path, "file is " + size + " bytes, too short for the 8-byte header length (truncated or not safetensors)");
        long headerLen = seg.get(U64, 0);
        if (headerLen < 0 || headerLen > MAX_HEADER_BYTES)
            throw error(path, "header length " + Long.toUnsignedString(headerLen) + " (bytes 0-7) exceeds the "
                    + MAX_HEADER_BYTES + "-byte limit (corrupt or not safetensors)");
        if (8 + headerLen > size)
            throw error(path, "header length " + headerLen + " (bytes 0-7) runs past the end of the " + size
                    + "-byte file (truncated)");
        byte[] header = seg.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JacksonException e) {
            throw error(path, "header (bytes 8-" + (8 + headerLen) + ") is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject())
            throw error(path, "header (bytes 8-" + (8 + headerLen) + ") is not a JSON object");
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (name.equals(METADATA_KEY)) readMetadata(path, field.getValue(), metadata);
            else slots.add(readSlot(path, name, field.getValue(), dataLen));
        }
        // stable sort: zero-byte tensors sharing an offset keep header order
        slots.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        checkTiling(path, slots, dataLen);
        return new SafetensorsFile(path, arena, seg, dataStart, metadata, slots);
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> into) {
        if (!node.isObject()) throw error(path, "\"" + METADATA_KEY + "\" must be an object of strings");
        for (Map.Entry<String, JsonNode> kv : node.properties()) {
            if (!kv.getValue().isTextual())
                throw error(path, "\"" + METADATA_KEY + "\" value of '" + kv.getKey() + "' must be a string, got "
                        + kv.getValue());
            into.put(kv.getKey(), kv.getValue().textValue());
        }
    }

    private static Slot readSlot(Path path, String name, JsonNode node, long dataLen) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) throw error(path, where + " must be an object with dtype, shape and data_offsets");
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw error(path, where + " has no string \"dtype\"");
        TensorDType dtype = SafetensorsDTypes.parse(dtypeNode.textValue());
        if (dtype == null)
            throw error(path, where + " has unknown or unsupported dtype \"" + dtypeNode.textValue()
                    + "\" (read: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) throw error(path, where + " has no \"shape\" array");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0)
                throw error(path, where + " shape " + shapeNode + ": dimension " + i + " is not a non-negative integer");
            shape[i] = d.longValue();
            count = multiply(path, where, count, shape[i]);
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2)
            throw error(path, where + " needs \"data_offsets\": [begin, end]");
        long[] be = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode v = off.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0)
                throw error(path, where + " data_offsets " + off + " must be two non-negative integers");
            be[i] = v.longValue();
        }
        long begin = be[0], end = be[1];
        if (end < begin) throw error(path, where + " data_offsets " + off + " end before begin");
        if (end > dataLen)
            throw error(path, where + " data_offsets " + off + " run past the " + dataLen
                    + "-byte data section (file truncated?)");
        long expected = multiply(path, where, count, dtype.bytes());
        if (end - begin != expected)
            throw error(path, where + " data_offsets " + off + " span " + (end - begin) + " bytes but " + dtype
                    + java.util.Arrays.toString(shape) + " needs " + expected);
        return new Slot(new TensorEntry(name, dtype, shape), begin, end);
    }

    private static long multiply(Path path, String where, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw error(path, where + " is too large: its element or byte count overflows 64 bits");
        }
    }

    /** The reference format forbids overlaps and holes so that a file cannot hide other content (polyglot files). */
    private static void checkTiling(Path path, List<Slot> sorted, long dataLen) {
        long at = 0;
        String previous = null;
        for (Slot s : sorted) {
            if (s.begin() < at)
                throw error(path, "tensor '" + s.entry().name() + "' bytes [" + s.begin() + ", " + s.end()
                        + ") overlap tensor '" + previous + "' which ends at " + at);
            if (s.begin() > at)
                throw error(path, "bytes [" + at + ", " + s.begin() + ") of the data section belong to no tensor (hole before '"
                        + s.entry().name() + "')");
            at = s.end();
            previous = s.entry().name();
        }
        if (at != dataLen)
            throw error(path, "data section is " + dataLen + " bytes but the tensors cover only " + at
                    + " (trailing bytes after " + (previous == null ? "the header" : "'" + previous + "'") + ")");
    }

    private static TensorFormatException error(Path path, String problem) {
        return new TensorFormatException(path + ": " + problem);
    }

    public Path path() {
        return path;
    }

    @Override
    public String description() {
        return path.toString();
    }

    /** The header's {@code __metadata__} strings (empty when absent), in header order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensors in data order. */
    @Override
    public List<TensorEntry> entries() {
        return entries;
    }

    @Override
    public TensorEntry find(String name) {
        Slot s = slots.get(name);
        return s == null ? null : s.entry();
    }

    /**
     * The tensor's raw little-endian bytes, a slice of the mapping (valid until {@link #close}); for types that
     * {@link #readFloats} does not convert.
     */
    public MemorySegment bytes(String name) {
        Slot s = slot(name);
        return file.asSlice(dataStart + s.begin(), s.end() - s.begin());
    }

    @Override
    public float[] readFloats(String name) {
        Slot s = slot(name);
        long n = s.entry().elementCount();
        if (n > Integer.MAX_VALUE - 8)
            throw error(path, "tensor '" + name + "' has " + n + " elements, too many for one Java array");
        float[] out = new float[(int) n];
        readFloats(name, out, 0);
        return out;
    }

    /**
     * Converts the tensor into {@code dst[offset ..]} (row-major in the stored shape), for callers that stack many
     * tensors into one buffer.
     */
    @Override
    public void readFloats(String name, float[] dst, int offset) {
        Slot s = slot(name);
        TensorDType dtype = s.entry().dtype();
        if (!dtype.isFloat())
            throw error(path, "tensor '" + name + "' is " + dtype + ", not a float type that converts to F32");
        long n = s.entry().elementCount();
        if (offset < 0 || n > dst.length - (long) offset)
            throw new IllegalArgumentException(path + ": readFloats('" + name + "') needs " + n + " floats at offset "
                    + offset + " but the destination holds " + dst.length);
        FloatDecoding.decode(file, dataStart + s.begin(), dtype, dst, offset, (int) n);
    }

    private Slot slot(String name) {
        Slot s = slots.get(name);
        if (s == null) throw error(path, "no tensor named '" + name + "' (" + slots.size() + " tensors in the file)");
        return s;
    }

    /** Unmaps the file; later reads fail. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + entries.size() + " tensors]";
    }
}
