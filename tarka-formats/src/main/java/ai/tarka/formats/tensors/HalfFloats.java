package ai.tarka.formats.tensors;

/**
 * Conversions between F32 and the two 16-bit float formats stored in checkpoints. F16 uses the JDK's IEEE binary16
 * conversions; BF16 is the upper half of an F32, so reading is exact and writing rounds to nearest, ties to even.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** Exact: every binary16 value (subnormals, infinities, NaN payloads) is representable in F32. */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** Round to nearest, ties to even; overflow gives infinity, NaN stays NaN. */
    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }

    /** Exact: a BF16 value is an F32 with the low 16 mantissa bits zero. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * Round to nearest, ties to even, on the 16 dropped mantissa bits; values that round past the largest finite
     * BF16 become infinity, as IEEE rounding requires. NaN keeps its sign and top payload bits and is forced quiet, so
     * a NaN whose payload lies only in the dropped bits does not turn into infinity.
     */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x0040);
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }
}
