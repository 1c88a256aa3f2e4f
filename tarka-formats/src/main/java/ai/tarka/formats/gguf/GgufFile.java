package ai.tarka.formats.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header of a GGUF file (versions 2 and 3): metadata key/values and tensor infos, plus where the aligned tensor
 * data starts. Tensor data itself is not read; {@link #mapData} maps it on demand.
 */
public final class GgufFile {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    public static final int DEFAULT_ALIGNMENT = 32;

    private final String source;
    private final Path path;
    private final int version;
    private final Map<String, GgufValue> metadata;
    private final List<GgufTensorInfo> tensors;
    private final long dataStart;

    private GgufFile(String source, Path path, int version, Map<String, GgufValue> metadata,
                     List<GgufTensorInfo> tensors, long dataStart) {
        this.source = source;
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = List.copyOf(tensors);
        this.dataStart = dataStart;
    }

    /** Reads the header of a file; the file is memory-mapped (the header of a model over 2 GiB must lie in its first 2 GiB). */
    public static GgufFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE));
            return parse(buf, path.toString(), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read GGUF file " + path, e);
        }
    }

    /** Reads a header from bytes (for example a file built in memory); {@code source} names it in errors. */
    public static GgufFile read(ByteBuffer bytes, String source) {
        return parse(bytes.duplicate(), source, null);
    }

    private static GgufFile parse(ByteBuffer buf, String source, Path path) {
        GgufCursor in = new GgufCursor(buf, source);
        int magic = in.i32("magic");
        if (magic != MAGIC)
            throw in.error(0, String.format("bad magic 0x%08x, expected \"GGUF\" (0x%08x)", magic, MAGIC));
        int version = in.i32("version");
        if (version != 2 && version != 3) throw in.error(4, "unsupported GGUF version " + version + " (2 and 3 are read)");
        long tensorCount = in.count("tensor count", 8);
        long kvCount = in.count("metadata count", 12);
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            int at = in.position();
            String key = in.string("metadata key");
            if (metadata.containsKey(key)) throw in.error(at, "duplicate metadata key '" + key + "'");
            GgufValueType type = valueType(in, "value type of '" + key + "'");
            metadata.put(key, readValue(in, type, key));
        }
        List<GgufTensorInfo> tensors = new java.util.ArrayList<>();
        for (long i = 0; i < tensorCount; i++) tensors.add(readTensorInfo(in));
        long alignment = DEFAULT_ALIGNMENT;
        GgufValue a = metadata.get("general.alignment");
        if (a != null) {
            if (!(a.value() instanceof Number n) || a.type() == GgufValueType.FLOAT32 || a.type() == GgufValueType.FLOAT64
                    || n.longValue() <= 0 || Long.bitCount(n.longValue()) != 1)
                throw in.error(in.position(), "general.alignment must be a positive power-of-two integer, got " + a.value());
            alignment = n.longValue();
        }
        long end = in.position();
        long dataStart = (end + alignment - 1) / alignment * alignment;
        for (GgufTensorInfo t : tensors)
            if (t.offset() % alignment != 0)
                throw in.error(end, "tensor '" + t.name() + "' offset " + t.offset() + " is not a multiple of the alignment " + alignment);
        return new GgufFile(source, path, version, metadata, tensors, dataStart);
    }

    private static GgufValueType valueType(GgufCursor in, String what) {
        int at = in.position();
        long id = in.u32(what);
        GgufValueType t = GgufValueType.ofId(id);
        if (t == null) throw in.error(at, "unknown " + what + " " + id);
        return t;
    }

    private static GgufTensorInfo readTensorInfo(GgufCursor in) {
        String name = in.string("tensor name");
        int at = in.position();
        long nDims = in.u32("dimension count of '" + name + "'");
        if (nDims > 8) throw in.error(at, "tensor '" + name + "' has " + nDims + " dimensions (at most 8)");
        long[] dims = new long[(int) nDims];
        for (int d = 0; d < nDims; d++) {
            int dimAt = in.position();
            dims[d] = in.i64("dimension " + d + " of '" + name + "'");
            if (dims[d] < 0) throw in.error(dimAt, "tensor '" + name + "' has negative dimension " + d);
        }
        int type = in.i32("ggml type of '" + name + "'");
        long offset = in.i64("data offset of '" + name + "'");
        return new GgufTensorInfo(name, dims, type, offset);
    }

    private static GgufValue readValue(GgufCursor in, GgufValueType type, String key) {
        if (type != GgufValueType.ARRAY) return new GgufValue(type, null, readScalar(in, type, key));
        GgufValueType elem = valueType(in, "array element type of '" + key + "'");
        long n = in.count("array length of '" + key + "'", minSize(elem));
        int len = (int) n;
        Object arr = switch (elem) {
            case UINT8, INT8, UINT16, INT16, INT32 -> {
                int[] v = new int[len];
                for (int i = 0; i < len; i++) v[i] = ((Number) readScalar(in, elem, key)).intValue();
                yield v;
            }
            case UINT32, INT64, UINT64 -> {
                long[] v = new long[len];
                for (int i = 0; i < len; i++) v[i] = ((Number) readScalar(in, elem, key)).longValue();
                yield v;
            }
            case FLOAT32 -> {
                float[] v = new float[len];
                for (int i = 0; i < len; i++) v[i] = in.f32(key);
                yield v;
            }
            case FLOAT64 -> {
                double[] v = new double[len];
                for (int i = 0; i < len; i++) v[i] = in.f64(key);
                yield v;
            }
            case BOOL -> {
                boolean[] v = new boolean[len];
                for (int i = 0; i < len; i++) v[i] = (Boolean) readScalar(in, elem, key);
                yield v;
            }
            case STRING -> {
                String[] v = new String[len];
                for (int i = 0; i < len; i++) v[i] = in.string("element " + i + " of '" + key + "'");
                yield v;
            }
            case ARRAY -> {
                GgufValue[] v = new GgufValue[len];
                for (int i = 0; i < len; i++) v[i] = readValue(in, GgufValueType.ARRAY, key + "[" + i + "]");
                yield v;
            }
        };
        return new GgufValue(GgufValueType.ARRAY, elem, arr);
    }

    /** The fewest bytes one element can take, to reject absurd array lengths before allocating. */
    private static long minSize(GgufValueType t) {
        return switch (t) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            case UINT32, INT32, FLOAT32 -> 4;
            case UINT64, INT64, FLOAT64, STRING -> 8;
            case ARRAY -> 12;
        };
    }

    private static Object readScalar(GgufCursor in, GgufValueType type, String key) {
        return switch (type) {
            case UINT8 -> in.u8(key);
            case INT8 -> (int) (byte) in.u8(key);
            case UINT16 -> in.i16(key) & 0xffff;
            case INT16 -> in.i16(key);
            case UINT32 -> in.u32(key);
            case INT32 -> in.i32(key);
            case FLOAT32 -> in.f32(key);
            case BOOL -> {
                int at = in.position();
                int b = in.u8(key);
                if (b > 1) throw in.error(at, "bool '" + key + "' has byte value " + b);
                yield b == 1;
            }
            case STRING -> in.string("value of '" + key + "'");
            case UINT64, INT64 -> in.i64(key);
            case FLOAT64 -> in.f64(key);
            case ARRAY -> throw new IllegalStateException("arrays are read by readValue");
        };
    }

    public String source() {
        return source;
    }

    /** The file the header was read from, or {@code null} when it was read from bytes. */
    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    public Set<String> keys() {
        return metadata.keySet();
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public List<GgufTensorInfo> tensors() {
        return tensors;
    }

    /** Absolute file offset of the tensor data section (end of header rounded up to the alignment). */
    public long dataStart() {
        return dataStart;
    }

    /** Maps one tensor's data read-only; {@code byteSize} depends on the ggml type, which this reader does not decode. */
    public MemorySegment mapData(GgufTensorInfo tensor, long byteSize, Arena arena) {
        if (path == null) throw new IllegalStateException(source + ": tensor data can only be mapped from a file");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long start = dataStart + tensor.offset();
            if (start + byteSize > ch.size())
                throw new GgufFormatException(source, start, "tensor '" + tensor.name() + "' needs " + byteSize
                        + " bytes but the file has " + ch.size());
            return ch.map(FileChannel.MapMode.READ_ONLY, start, byteSize, arena);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map tensor data of " + source, e);
        }
    }

    public GgufValue get(String key) {
        GgufValue v = metadata.get(key);
        if (v == null) throw new IllegalArgumentException(source + ": no metadata key '" + key + "'");
        return v;
    }

    private IllegalArgumentException wrongType(String key, GgufValue v, String wanted) {
        String actual = v.type() == GgufValueType.ARRAY ? "array of " + v.elementType() : v.type().toString();
        return new IllegalArgumentException(source + ": metadata '" + key + "' is " + actual + ", not " + wanted);
    }

    public String getString(String key) {
        GgufValue v = get(key);
        if (v.value() instanceof String s) return s;
        throw wrongType(key, v, "a string");
    }

    public String getString(String key, String fallback) {
        return has(key) ? getString(key) : fallback;
    }

    /** Any integer scalar (uint64 values above Long.MAX_VALUE come back negative). */
    public long getLong(String key) {
        GgufValue v = get(key);
        if (v.value() instanceof Integer i) return i;
        if (v.value() instanceof Long l) return l;
        throw wrongType(key, v, "an integer");
    }

    public int getInt(String key) {
        long l = getLong(key);
        if (l != (int) l) throw new IllegalArgumentException(source + ": metadata '" + key + "' = " + l + " does not fit an int");
        return (int) l;
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    public double getDouble(String key) {
        GgufValue v = get(key);
        if (v.value() instanceof Float f) return f;
        if (v.value() instanceof Double d) return d;
        throw wrongType(key, v, "a float");
    }

    public boolean getBoolean(String key) {
        GgufValue v = get(key);
        if (v.value() instanceof Boolean b) return b;
        throw wrongType(key, v, "a bool");
    }

    public boolean getBoolean(String key, boolean fallback) {
        return has(key) ? getBoolean(key) : fallback;
    }

    public String[] getStringArray(String key) {
        GgufValue v = get(key);
        if (v.value() instanceof String[] a) return a.clone();
        throw wrongType(key, v, "an array of strings");
    }

    public float[] getFloatArray(String key) {
        GgufValue v = get(key);
        if (v.value() instanceof float[] a) return a.clone();
        if (v.value() instanceof double[] d) {
            float[] a = new float[d.length];
            for (int i = 0; i < d.length; i++) a[i] = (float) d[i];
            return a;
        }
        throw wrongType(key, v, "an array of floats");
    }

    /** Any integer array whose values fit an int. */
    public int[] getIntArray(String key) {
        GgufValue v = get(key);
        if (v.value() instanceof int[] a) return a.clone();
        if (v.value() instanceof long[] l) {
            int[] a = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                if (l[i] != (int) l[i])
                    throw new IllegalArgumentException(source + ": metadata '" + key + "'[" + i + "] = " + l[i] + " does not fit an int");
                a[i] = (int) l[i];
            }
            return a;
        }
        throw wrongType(key, v, "an array of integers");
    }

    public long[] getLongArray(String key) {
        GgufValue v = get(key);
        if (v.value() instanceof long[] a) return a.clone();
        if (v.value() instanceof int[] i) {
            long[] a = new long[i.length];
            for (int k = 0; k < i.length; k++) a[k] = i[k];
            return a;
        }
        throw wrongType(key, v, "an array of integers");
    }

    @Override
    public String toString() {
        return "GgufFile[" + source + ", v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors]";
    }
}
