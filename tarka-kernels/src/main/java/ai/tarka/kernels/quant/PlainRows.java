package ai.tarka.kernels.quant;

import static ai.tarka.kernels.quant.QuantSpecies.FLOAT_LE;
import static ai.tarka.kernels.quant.QuantSpecies.I;
import static ai.tarka.kernels.quant.QuantSpecies.LE;
import static ai.tarka.kernels.quant.QuantSpecies.S;
import static ai.tarka.kernels.quant.QuantSpecies.SHORT_LE;

import ai.tarka.kernels.Vec;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Dot products of F32, F16 and BF16 rows stored little-endian in a {@link MemorySegment} with a float vector. F16
 * is widened without a lookup: its exponent and mantissa bits moved up 13 places read as a float 2^-112 times the
 * value (subnormals included), so one multiply by 2^112 fixes the exponent; infinities and NaN are not expected in
 * weights and are not special-cased on the vector path.
 */
public final class PlainRows {
    private PlainRows() {}

    private static final float TWO_POW_112 = 0x1p112f;

    public static float dotF32(MemorySegment w, long off, float[] x, int xOff, int n) {
        int i = 0;
        float sum = 0;
        if (Vec.ENABLED) {
            int l = Vec.L;
            FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0, a2 = a0, a3 = a0;
            for (; i + 4 * l <= n; i += 4 * l) {
                long o = off + 4L * i;
                a0 = FloatVector.fromMemorySegment(Vec.F, w, o, LE).fma(FloatVector.fromArray(Vec.F, x, xOff + i), a0);
                a1 = FloatVector.fromMemorySegment(Vec.F, w, o + 4L * l, LE).fma(FloatVector.fromArray(Vec.F, x, xOff + i + l), a1);
                a2 = FloatVector.fromMemorySegment(Vec.F, w, o + 8L * l, LE).fma(FloatVector.fromArray(Vec.F, x, xOff + i + 2 * l), a2);
                a3 = FloatVector.fromMemorySegment(Vec.F, w, o + 12L * l, LE).fma(FloatVector.fromArray(Vec.F, x, xOff + i + 3 * l), a3);
            }
            for (; i + l <= n; i += l)
                a0 = FloatVector.fromMemorySegment(Vec.F, w, off + 4L * i, LE).fma(FloatVector.fromArray(Vec.F, x, xOff + i), a0);
            sum = Vec.sum(a0.add(a1).add(a2.add(a3)));
        }
        for (; i < n; i++) sum += w.get(FLOAT_LE, off + 4L * i) * x[xOff + i];
        return sum;
    }

    public static float dotF16(MemorySegment w, long off, float[] x, int xOff, int n) {
        return dotHalf(w, off, x, xOff, n, false);
    }

    public static float dotBf16(MemorySegment w, long off, float[] x, int xOff, int n) {
        return dotHalf(w, off, x, xOff, n, true);
    }

    private static float dotHalf(MemorySegment w, long off, float[] x, int xOff, int n, boolean bf16) {
        int i = 0;
        float sum = 0;
        if (QuantSpecies.ENABLED) {
            int l = Vec.L;
            FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0;
            for (; i + 2 * l <= n; i += 2 * l) {
                long o = off + 2L * i;
                a0 = widen(w, o, bf16).fma(FloatVector.fromArray(Vec.F, x, xOff + i), a0);
                a1 = widen(w, o + 2L * l, bf16).fma(FloatVector.fromArray(Vec.F, x, xOff + i + l), a1);
            }
            for (; i + l <= n; i += l) a0 = widen(w, off + 2L * i, bf16).fma(FloatVector.fromArray(Vec.F, x, xOff + i), a0);
            sum = Vec.sum(a0.add(a1));
        }
        for (; i < n; i++) sum += half(w.get(SHORT_LE, off + 2L * i), bf16) * x[xOff + i];
        return sum;
    }

    /** L halves at byte {@code o} as floats. */
    static FloatVector widen(MemorySegment w, long o, boolean bf16) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, w, o, LE).convertShape(VectorOperators.S2I, I, 0);
        if (bf16) return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
        FloatVector magnitude = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(TWO_POW_112);
        return magnitude.reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** Whether {@link #widenF16(short[], int)} runs vectorised on this machine (else callers take a scalar loop). */
    public static boolean halfVectors() {
        return QuantSpecies.ENABLED;
    }

    /**
     * {@code Vec.L} F16 values from {@code a[off..]} as floats, exact for finite values (as {@link #widen}; an F16
     * infinity or NaN does not come back as one). Only when {@link #halfVectors()}.
     */
    public static FloatVector widenF16(short[] a, int off) {
        IntVector h = (IntVector) ShortVector.fromArray(S, a, off).convertShape(VectorOperators.S2I, I, 0);
        FloatVector magnitude = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(TWO_POW_112);
        return magnitude.reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    static float half(short bits, boolean bf16) {
        return bf16 ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
    }

    /** Decodes {@code n} values of the given plain format at byte {@code off}. */
    public static void decode(QuantFormat f, MemorySegment src, long off, float[] dst, int dstOff, int n) {
        switch (f) {
            case F32 -> MemorySegment.copy(src, FLOAT_LE, off, dst, dstOff, n);
            case F16, BF16 -> {
                boolean bf = f == QuantFormat.BF16;
                for (int i = 0; i < n; i++) dst[dstOff + i] = half(src.get(SHORT_LE, off + 2L * i), bf);
            }
            default -> throw new IllegalArgumentException("PlainRows.decode: " + f + " is not a plain format");
        }
    }

    /** Encodes {@code n} floats into F32, F16 (round to nearest even) or BF16 (round to nearest even) at {@code off}. */
    public static void encode(QuantFormat f, float[] src, int srcOff, int n, MemorySegment dst, long off) {
        switch (f) {
            case F32 -> MemorySegment.copy(src, srcOff, dst, FLOAT_LE, off, n);
            case F16 -> {
                for (int i = 0; i < n; i++) dst.set(SHORT_LE, off + 2L * i, Float.floatToFloat16(src[srcOff + i]));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) dst.set(SHORT_LE, off + 2L * i, toBf16(src[srcOff + i]));
            }
            default -> throw new IllegalArgumentException("PlainRows.encode: " + f + " is not a plain format");
        }
    }

    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
