package ai.tarka.kernels.quant;

import static ai.tarka.kernels.quant.QuantSpecies.B;
import static ai.tarka.kernels.quant.QuantSpecies.B2;
import static ai.tarka.kernels.quant.QuantSpecies.S2;
import static ai.tarka.kernels.quant.QuantSpecies.LE;
import static ai.tarka.kernels.quant.QuantSpecies.SHORT_LE;

import ai.tarka.kernels.Vec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q4_0: blocks of 32 values stored as an f16 scale {@code d} and 16 bytes; byte j holds element j in its low
 * nibble and element j+16 in its high nibble, value {@code (q − 8)·d}. {@code quantize} follows ggml's reference
 * {@code quantize_row_q4_0_ref}: {@code d = m / −8} where m is the value of largest magnitude (sign kept), and
 * {@code q = min(15, trunc(x/d + 8.5))}, so the bytes equal llama.cpp's.
 */
public final class Q4_0 {
    private Q4_0() {}

    public static final int BLOCK = 32;
    public static final int BLOCK_BYTES = 18;

    public static void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstOff) {
        QuantFormat.Q4_0.checkCols("Q4_0.quantize", n);
        for (int b = 0; b < n / BLOCK; b++) {
            int s = srcOff + b * BLOCK;
            long o = dstOff + (long) b * BLOCK_BYTES;
            float amax = 0, max = 0;
            for (int j = 0; j < BLOCK; j++) {
                float v = src[s + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0 ? 1f / d : 0f;
            dst.set(SHORT_LE, o, Float.floatToFloat16(d));
            for (int j = 0; j < BLOCK / 2; j++) {
                int lo = Math.min(15, (byte) (int) (src[s + j] * id + 8.5f));
                int hi = Math.min(15, (byte) (int) (src[s + 16 + j] * id + 8.5f));
                dst.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) (lo | (hi << 4)));
            }
        }
    }

    public static void dequantize(MemorySegment src, long off, float[] dst, int dstOff, int n) {
        QuantFormat.Q4_0.checkCols("Q4_0.dequantize", n);
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(src.get(SHORT_LE, o));
            for (int j = 0; j < BLOCK / 2; j++) {
                int q = src.get(ValueLayout.JAVA_BYTE, o + 2 + j) & 0xFF;
                dst[dstOff + b * BLOCK + j] = ((q & 0x0F) - 8) * d;
                dst[dstOff + b * BLOCK + 16 + j] = ((q >>> 4) - 8) * d;
            }
        }
    }

    public static float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
        if (!QuantSpecies.ENABLED) return dotScalar(w, off, x, xOff, n);
        int blocks = n / BLOCK, l = Vec.L;
        FloatVector acc0 = FloatVector.zero(Vec.F), acc1 = acc0;
        // written flat (no helper returning vectors): a helper C2 did not inline boxed every vector, 6x slower
        for (int b = 0; b < blocks; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            int xi = xOff + b * BLOCK;
            FloatVector s0 = FloatVector.zero(Vec.F), s1 = s0;
            for (int c = 0; c < 16; c += l) {
                IntVector v = (IntVector) ByteVector.fromMemorySegment(B, w, o + 2 + c, LE)
                        .convertShape(VectorOperators.B2I, QuantSpecies.I, 0);
                FloatVector lo = (FloatVector) v.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
                s0 = lo.fma(FloatVector.fromArray(Vec.F, x, xi + c), s0);
                s1 = hi.fma(FloatVector.fromArray(Vec.F, x, xi + 16 + c), s1);
            }
            FloatVector d = FloatVector.broadcast(Vec.F, Float.float16ToFloat(w.get(SHORT_LE, o)));
            if ((b & 1) == 0) acc0 = s0.add(s1).fma(d, acc0);
            else acc1 = s0.add(s1).fma(d, acc1);
        }
        return Vec.sum(acc0.add(acc1));
    }

    /**
     * {@code y[yOff + v·ldy + r] = Σ_i w[r, i]·x_v[i]} for rows {@code [r0, r1)} and every vector v of {@code x} (see
     * {@link Q8_0#dotRows}). The −8 offset is taken out of the loop:
     * Σ d_w·d_x·Σ(q − 8)·x_q = Σ d_w·d_x·Σ q·x_q − 8·Σ d_w·(d_x·Σx_q), the last factor precomputed per block by
     * {@link Q8Activations}. Raw nibbles (0..15) times |x_q| ≤ 127 sum to at most 2·15·127 per short and 4·15·127
     * after the pair sum, so {@code (v + (v << 16)) >> 16} (the high short plus the low one) is exact.
     */
    public static void dotRows(MemorySegment w, long off, int r0, int r1, Q8Activations x, float[] y, int yOff, int ldy) {
        int n = x.cols(), batch = x.batch();
        long rowBytes = (long) n / BLOCK * BLOCK_BYTES;
        short[] xq = x.values();
        float[] xd = x.scales(), xs = x.blockSums();
        if (!QuantSpecies.INT8_DOTS) {
            for (int r = r0; r < r1; r++)
                for (int vec = 0; vec < batch; vec++)
                    y[yOff + vec * ldy + r] = dotQ8Scalar(w, off + r * rowBytes, xq, vec * n, xd, vec * n / BLOCK, n);
            return;
        }
        ShortVector low = ShortVector.broadcast(S2, (short) 0x0F);
        // tiles of rows swept once per vector, as in Q8_0.dotRows
        for (int t = r0; t < r1; t += Q8_0.ROW_TILE) {
            int te = Math.min(r1, t + Q8_0.ROW_TILE);
            for (int vec = 0; vec < batch; vec++) {
                for (int r = t; r < te; r++) {
                    long ro = off + r * rowBytes;
                    int xi = vec * n, xb = xi / BLOCK;
                    FloatVector acc = FloatVector.zero(Vec.F);
                    float offset = 0;
                    // one block per iteration, flat: see Q8_0.dotRows
                    for (int b = 0; b < n / BLOCK; b++) {
                        long o = ro + (long) b * BLOCK_BYTES;
                        int x0 = xi + b * BLOCK;
                        ShortVector v = (ShortVector) ByteVector.fromMemorySegment(B2, w, o + 2, LE).convertShape(VectorOperators.B2S, S2, 0);
                        // high nibbles by an int shift (an immediate; short shifts took a register count): bits shifted in
                        // from the neighbouring short land above bit 11 and are masked off
                        ShortVector p = v.and(low).mul(ShortVector.fromArray(S2, xq, x0))
                                .add(v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsShorts().and(low)
                                        .mul(ShortVector.fromArray(S2, xq, x0 + 16)));
                        IntVector i = p.reinterpretAsInts();
                        i = i.add(i.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
                        float dw = Float.float16ToFloat(w.get(SHORT_LE, o));
                        offset = Math.fma(dw, xs[xb + b], offset);
                        acc = ((FloatVector) i.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(Vec.F, dw * xd[xb + b]), acc);
                    }
                    y[yOff + vec * ldy + r] = Vec.sum(acc) - 8f * offset;
                }
            }
        }
    }

    /** One row of {@link #dotRows} as a plain loop: exact integer block sums of (q − 8)·x_q, scaled per block. */
    static float dotQ8Scalar(MemorySegment w, long off, short[] xq, int xi, float[] xd, int xb, int n) {
        float sum = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            int x0 = xi + b * BLOCK, s = 0;
            for (int j = 0; j < BLOCK / 2; j++) {
                int q = w.get(ValueLayout.JAVA_BYTE, o + 2 + j) & 0xFF;
                s += ((q & 0x0F) - 8) * xq[x0 + j] + ((q >>> 4) - 8) * xq[x0 + 16 + j];
            }
            sum += s * (scale(w, o) * xd[xb + b]);
        }
        return sum;
    }

    static IntVector bytesAsInts(MemorySegment w, long o) {
        return (IntVector) ByteVector.fromMemorySegment(B, w, o, LE).convertShape(VectorOperators.B2I, QuantSpecies.I, 0);
    }

    private static float scale(MemorySegment w, long o) {
        return Float.float16ToFloat(w.get(SHORT_LE, o));
    }

    static float dotScalar(MemorySegment w, long off, float[] x, int xOff, int n) {
        float sum = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            int xi = xOff + b * BLOCK;
            float s = 0;
            for (int j = 0; j < BLOCK / 2; j++) {
                int q = w.get(ValueLayout.JAVA_BYTE, o + 2 + j) & 0xFF;
                s += ((q & 0x0F) - 8) * x[xi + j] + ((q >>> 4) - 8) * x[xi + 16 + j];
            }
            sum += s * scale(w, o);
        }
        return sum;
    }
}
