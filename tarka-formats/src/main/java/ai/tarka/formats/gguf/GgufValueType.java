package ai.tarka.formats.gguf;

/** The metadata value types of GGUF, with their on-disk ids. */
public enum GgufValueType {
    UINT8(0), INT8(1), UINT16(2), INT16(3), UINT32(4), INT32(5), FLOAT32(6), BOOL(7),
    STRING(8), ARRAY(9), UINT64(10), INT64(11), FLOAT64(12);

    private final int id;

    GgufValueType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    private static final GgufValueType[] BY_ID = values();

    /** The type with this id, or null when the id is not a GGUF value type. */
    public static GgufValueType ofId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
