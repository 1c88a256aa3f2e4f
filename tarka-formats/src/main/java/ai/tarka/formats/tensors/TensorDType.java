package ai.tarka.formats.tensors;

/**
 * Element types of stored tensors that Tarka reads. Only the floating types convert to F32 here; quantised block
 * types belong to the inference path.
 */
public enum TensorDType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1),
    /**
     * A block-quantised GGUF type (Q4_0, Q8_0, Q4_K, ...): elements have no fixed byte size, so {@link #bytes()} is
     * 0; the exact type and block layout come from {@code GgufTensors.ggmlType}.
     */
    QUANTIZED(0);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element (0 for {@link #QUANTIZED}). */
    public int bytes() {
        return bytes;
    }

    /** Whether {@link TensorSource#readFloats} can convert this type to F32. */
    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }
}
