package ai.tarka.kernels.quant;

import static ai.tarka.kernels.quant.QuantSpecies.B;
import static ai.tarka.kernels.quant.QuantSpecies.LE;
import static ai.tarka.kernels.quant.QuantSpecies.SHORT_LE;

import ai.tarka.kernels.Vec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q8_0: blocks of 32 values stored as an f16 scale {@code d = absmax/127} and 32 int8 {@code round(x/d)}
 * (round half away from zero, as C's {@code roundf}); {@code quantize} follows ggml's reference
 * {@code quantize_row_q8_0_ref} step for step so the bytes equal llama.cpp's.
 */
public final class Q8_0 {
    private Q8_0() {}

    public static final int BLOCK = 32;
    public static final int BLOCK_BYTES = 34;

    /** Quantises {@code n} values (a multiple of 32) from {@code src[srcOff..]} into {@code dst} at {@code dstOff}. */
    public static void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstOff) {
        QuantFormat.Q8_0.checkCols("Q8_0.quantize", n);
        for (int b = 0; b < n / BLOCK; b++) {
            int s = srcOff + b * BLOCK;
            long o = dstOff + (long) b * BLOCK_BYTES;
            float amax = 0;
            for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(src[s + j]));
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            dst.set(SHORT_LE, o, Float.floatToFloat16(d));
            for (int j = 0; j < BLOCK; j++) dst.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) roundHalfAway(src[s + j] * id));
        }
    }

    /** C's {@code roundf}: nearest integer, halves away from zero. */
    static int roundHalfAway(float v) {
        float a = Math.abs(v);
        float f = (float) Math.floor(a);
        if (a - f >= 0.5f) f += 1f;
        return (int) Math.copySign(f, v);
    }

    /** Decodes {@code n} values starting at byte {@code off} into {@code dst[dstOff..]}. */
    public static void dequantize(MemorySegment src, long off, float[] dst, int dstOff, int n) {
        QuantFormat.Q8_0.checkCols("Q8_0.dequantize", n);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(src.get(SHORT_LE, o));
            for (int j = 0; j < BLOCK; j++) dst[dstOff + b * BLOCK + j] = src.get(ValueLayout.JAVA_BYTE, o + 2 + j) * d;
        }
    }

    /** Σ w[i]·x[xOff+i] over one row of {@code n} values whose blocks start at byte {@code off}. */
    public static float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
        if (!QuantSpecies.ENABLED) return dotScalar(w, off, x, xOff, n);
        int blocks = n / BLOCK;
        FloatVector acc0 = FloatVector.zero(Vec.F), acc1 = FloatVector.zero(Vec.F);
        int b = 0;
        // two blocks per step into two accumulators; within a block two partial sums, scaled once per block
        for (; b + 1 < blocks; b += 2) {
            long o = off + (long) b * BLOCK_BYTES;
            int xi = xOff + b * BLOCK;
            acc0 = block(w, o, x, xi).fma(FloatVector.broadcast(Vec.F, scale(w, o)), acc0);
            acc1 = block(w, o + BLOCK_BYTES, x, xi + BLOCK).fma(FloatVector.broadcast(Vec.F, scale(w, o + BLOCK_BYTES)), acc1);
        }
        if (b < blocks) {
            long o = off + (long) b * BLOCK_BYTES;
            acc0 = block(w, o, x, xOff + b * BLOCK).fma(FloatVector.broadcast(Vec.F, scale(w, o)), acc0);
        }
        return Vec.sum(acc0.add(acc1));
    }

    private static float scale(MemorySegment w, long o) {
        return Float.float16ToFloat(w.get(SHORT_LE, o));
    }

    /** The unscaled Σ q·x of one block, as a vector of partial sums. */
    private static FloatVector block(MemorySegment w, long o, float[] x, int xi) {
        int l = Vec.L;
        FloatVector s0 = q(w, o + 2).mul(FloatVector.fromArray(Vec.F, x, xi));
        FloatVector s1 = q(w, o + 2 + l).mul(FloatVector.fromArray(Vec.F, x, xi + l));
        if (l == 8) {
            s0 = q(w, o + 18).fma(FloatVector.fromArray(Vec.F, x, xi + 16), s0);
            s1 = q(w, o + 26).fma(FloatVector.fromArray(Vec.F, x, xi + 24), s1);
        }
        return s0.add(s1);
    }

    private static FloatVector q(MemorySegment w, long o) {
        return (FloatVector) ByteVector.fromMemorySegment(B, w, o, LE).convertShape(VectorOperators.B2F, Vec.F, 0);
    }

    /** The plain-loop form, used when the vector paths are off. */
    static float dotScalar(MemorySegment w, long off, float[] x, int xOff, int n) {
        float sum = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            float s = 0;
            for (int j = 0; j < BLOCK; j++) s += w.get(ValueLayout.JAVA_BYTE, o + 2 + j) * x[xOff + b * BLOCK + j];
            sum += s * scale(w, o);
        }
        return sum;
    }
}
