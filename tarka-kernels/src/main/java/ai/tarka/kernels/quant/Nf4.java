package ai.tarka.kernels.quant;

import static ai.tarka.kernels.quant.QuantSpecies.B;
import static ai.tarka.kernels.quant.QuantSpecies.LE;
import static ai.tarka.kernels.quant.QuantSpecies.S2;

import ai.tarka.kernels.Vec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * QLoRA's 4-bit NormalFloat: each block of 64 values is divided by its absmax and every value replaced by the
 * nearest of 16 code values (quantiles of a normal distribution, with exact 0 and ±1). Row data: 32 bytes per block,
 * byte j holding element j in its low nibble and element j+32 in its high nibble (a split rather than bitsandbytes'
 * adjacent pairs, so a vector load decodes without shuffling lanes); scales in {@link Nf4Scales}.
 */
public final class Nf4 {
    private Nf4() {}

    public static final int BLOCK = 64;
    public static final int BLOCK_BYTES = 32;

    /** The NF4 code values of the QLoRA paper (appendix E), in code order. */
    static final float[] CODEBOOK = {
            -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f, -0.28444138169288635f,
            -0.18477343022823334f, -0.09105003625154495f, 0.0f, 0.07958029955625534f, 0.16093020141124725f,
            0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f, 0.5626170039176941f,
            0.7229568362236023f, 1.0f};

    public static float codeValue(int code) {
        return CODEBOOK[code];
    }

    private static final FloatVector TABLE_LO = QuantSpecies.ENABLED ? FloatVector.fromArray(Vec.F, CODEBOOK, 0) : null;
    private static final FloatVector TABLE_HI = QuantSpecies.ENABLED && Vec.L == 8 ? FloatVector.fromArray(Vec.F, CODEBOOK, 8) : null;

    /** The code whose value is nearest to {@code v} (in [-1, 1]); ties go to the lower code. */
    static int nearestCode(float v) {
        int lo = 0;
        for (int c = 1; c < 16; c++) if (v > (CODEBOOK[c - 1] + CODEBOOK[c]) * 0.5f) lo = c;
        return lo;
    }

    /**
     * Quantises a row-major [rows, cols] matrix ({@code cols} a multiple of 64) into {@code dst} (rows·cols/2 bytes
     * at {@code dstOff}); returns the double-quantised scales. Codes are chosen against the absmax the scales
     * decode to, so a block's largest value maps to ±1 as closely as the 8-bit scale allows.
     */
    public static Nf4Scales quantize(float[] src, int rows, int cols, MemorySegment dst, long dstOff) {
        QuantFormat.NF4.checkCols("Nf4.quantize", cols);
        int blocks = rows * (cols / BLOCK);
        float[] absmax = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            float m = 0;
            for (int j = 0; j < BLOCK; j++) m = Math.max(m, Math.abs(src[b * BLOCK + j]));
            absmax[b] = m;
        }
        Nf4Scales scales = Nf4Scales.quantize(absmax);
        for (int b = 0; b < blocks; b++) {
            float a = scales.absmax(b);
            float inv = a != 0 ? 1f / a : 0f;
            long o = dstOff + (long) b * BLOCK_BYTES;
            for (int j = 0; j < BLOCK_BYTES; j++) {
                int lo = nearestCode(src[b * BLOCK + j] * inv);
                int hi = nearestCode(src[b * BLOCK + 32 + j] * inv);
                dst.set(ValueLayout.JAVA_BYTE, o + j, (byte) (lo | (hi << 4)));
            }
        }
        return scales;
    }

    /** Decodes {@code n} values of one row, whose first block is block number {@code firstBlock} of the tensor. */
    public static void dequantize(MemorySegment src, long off, Nf4Scales scales, int firstBlock, float[] dst, int dstOff, int n) {
        QuantFormat.NF4.checkCols("Nf4.dequantize", n);
        for (int b = 0; b < n / BLOCK; b++) {
            float a = scales.absmax(firstBlock + b);
            long o = off + (long) b * BLOCK_BYTES;
            for (int j = 0; j < BLOCK_BYTES; j++) {
                int q = src.get(ValueLayout.JAVA_BYTE, o + j) & 0xFF;
                dst[dstOff + b * BLOCK + j] = CODEBOOK[q & 0x0F] * a;
                dst[dstOff + b * BLOCK + 32 + j] = CODEBOOK[q >>> 4] * a;
            }
        }
    }

    public static float dot(MemorySegment w, long off, Nf4Scales scales, int firstBlock, float[] x, int xOff, int n) {
        if (!QuantSpecies.ENABLED) return dotScalar(w, off, scales, firstBlock, x, xOff, n);
        FloatVector acc0 = FloatVector.zero(Vec.F), acc1 = acc0;
        int l = Vec.L;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            int xi = xOff + b * BLOCK;
            FloatVector s0 = FloatVector.zero(Vec.F), s1 = s0;
            for (int c = 0; c < BLOCK_BYTES; c += l) {
                // flat on purpose: helpers returning vectors were not inlined and boxed every vector
                IntVector v = (IntVector) ByteVector.fromMemorySegment(B, w, o + c, LE)
                        .convertShape(VectorOperators.B2I, QuantSpecies.I, 0);
                FloatVector lo = (FloatVector) v.and(0x0F).convert(VectorOperators.I2F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).and(0x0F).convert(VectorOperators.I2F, 0);
                if (Vec.L == 8) {
                    lo = lo.selectFrom(TABLE_LO, TABLE_HI);
                    hi = hi.selectFrom(TABLE_LO, TABLE_HI);
                } else {
                    lo = lo.selectFrom(TABLE_LO);
                    hi = hi.selectFrom(TABLE_LO);
                }
                s0 = lo.fma(FloatVector.fromArray(Vec.F, x, xi + c), s0);
                s1 = hi.fma(FloatVector.fromArray(Vec.F, x, xi + 32 + c), s1);
            }
            FloatVector a = FloatVector.broadcast(Vec.F, scales.absmax(firstBlock + b));
            if ((b & 1) == 0) acc0 = s0.add(s1).fma(a, acc0);
            else acc1 = s0.add(s1).fma(a, acc1);
        }
        return Vec.sum(acc0.add(acc1));
    }

    /**
     * The codebook times 127, rounded: the integer kernel's weights (as llama.cpp's IQ4_NL keeps its non-linear
     * codebook in int8). Each differs from the exact code by at most 0.5/127 of the block's absmax, far below the
     * format's own step (up to 0.15 of the absmax).
     */
    static final byte[] CODEBOOK_I8 = new byte[16];

    static {
        for (int c = 0; c < 16; c++) CODEBOOK_I8[c] = (byte) Math.round(CODEBOOK[c] * 127f);
    }

    private static final ByteVector TABLE_I8 = QuantSpecies.INT8_DOTS
            ? ByteVector.fromArray(ByteVector.SPECIES_128, CODEBOOK_I8, 0) : null;

    /**
     * {@code y[yOff + v·ldy + r] = Σ_i w[r, i]·x_v[i]} for rows {@code [r0, r1)} and every vector v of {@code x} (see
     * {@link Q8_0#dotRows}), with the codes looked up in {@link #CODEBOOK_I8} (a byte shuffle per 16 codes) and
     * multiplied as integers. A block of 64 spans two activation blocks: low nibbles are its first 32 elements, high
     * nibbles the next 32.
     */
    public static void dotRows(MemorySegment w, long off, Nf4Scales scales, int r0, int r1, Q8Activations x, float[] y, int yOff, int ldy) {
        int n = x.cols(), batch = x.batch(), blocksPerRow = n / BLOCK;
        long rowBytes = (long) blocksPerRow * BLOCK_BYTES;
        short[] xq = x.values();
        float[] xd = x.scales();
        if (!QuantSpecies.INT8_DOTS) {
            for (int r = r0; r < r1; r++)
                for (int vec = 0; vec < batch; vec++)
                    y[yOff + vec * ldy + r] = dotQ8Scalar(w, off + r * rowBytes, scales, r * blocksPerRow, xq, vec * n, xd,
                            vec * n / Q8Activations.BLOCK, n);
            return;
        }
        ByteVector low = ByteVector.broadcast(ByteVector.SPECIES_128, (byte) 0x0F);
        // tiles of rows swept once per vector, as in Q8_0.dotRows
        for (int t = r0; t < r1; t += Q8_0.ROW_TILE) {
            int te = Math.min(r1, t + Q8_0.ROW_TILE);
            for (int vec = 0; vec < batch; vec++) {
                for (int r = t; r < te; r++) {
                    long ro = off + r * rowBytes;
                    int xi = vec * n, xb = xi / Q8Activations.BLOCK, firstBlock = r * blocksPerRow;
                    FloatVector acc = FloatVector.zero(Vec.F);
                    // one block per iteration, flat: see Q8_0.dotRows
                    for (int b = 0; b < blocksPerRow; b++) {
                        long o = ro + (long) b * BLOCK_BYTES;
                        int x0 = xi + b * BLOCK;
                        ByteVector v0 = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, o, LE);
                        ByteVector v1 = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, o + 16, LE);
                        // high nibbles by an int shift: bits shifted in from the neighbouring byte are masked off
                        ByteVector h0 = v0.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and(low);
                        ByteVector h1 = v1.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and(low);
                        ShortVector pLo = ((ShortVector) v0.and(low).selectFrom(TABLE_I8).convertShape(VectorOperators.B2S, S2, 0))
                                .mul(ShortVector.fromArray(S2, xq, x0))
                                .add(((ShortVector) v1.and(low).selectFrom(TABLE_I8).convertShape(VectorOperators.B2S, S2, 0))
                                        .mul(ShortVector.fromArray(S2, xq, x0 + 16)));
                        ShortVector pHi = ((ShortVector) h0.selectFrom(TABLE_I8).convertShape(VectorOperators.B2S, S2, 0))
                                .mul(ShortVector.fromArray(S2, xq, x0 + 32))
                                .add(((ShortVector) h1.selectFrom(TABLE_I8).convertShape(VectorOperators.B2S, S2, 0))
                                        .mul(ShortVector.fromArray(S2, xq, x0 + 48)));
                        // two products of at most 127·127 per short; their pair sums need the sign-safe widening
                        IntVector iLo = pLo.reinterpretAsInts(), iHi = pHi.reinterpretAsInts();
                        iLo = iLo.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(iLo.lanewise(VectorOperators.ASHR, 16));
                        iHi = iHi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(iHi.lanewise(VectorOperators.ASHR, 16));
                        float a = scales.absmax(firstBlock + b) * (1f / 127f);
                        acc = ((FloatVector) iLo.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(Vec.F, a * xd[xb + 2 * b]), acc);
                        acc = ((FloatVector) iHi.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(Vec.F, a * xd[xb + 2 * b + 1]), acc);
                    }
                    y[yOff + vec * ldy + r] = Vec.sum(acc);
                }
            }
        }
    }

    /** One row of {@link #dotRows} as a plain loop: exact integer sums per 32 elements, then the same float scaling. */
    static float dotQ8Scalar(MemorySegment w, long off, Nf4Scales scales, int firstBlock, short[] xq, int xi, float[] xd, int xb, int n) {
        float sum = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            int x0 = xi + b * BLOCK, lo = 0, hi = 0;
            for (int j = 0; j < BLOCK_BYTES; j++) {
                int q = w.get(ValueLayout.JAVA_BYTE, o + j) & 0xFF;
                lo += CODEBOOK_I8[q & 0x0F] * xq[x0 + j];
                hi += CODEBOOK_I8[q >>> 4] * xq[x0 + 32 + j];
            }
            float a = scales.absmax(firstBlock + b) * (1f / 127f);
            sum += lo * (a * xd[xb + 2 * b]) + hi * (a * xd[xb + 2 * b + 1]);
        }
        return sum;
    }

    static float dotScalar(MemorySegment w, long off, Nf4Scales scales, int firstBlock, float[] x, int xOff, int n) {
        float sum = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            int xi = xOff + b * BLOCK;
            float s = 0;
            for (int j = 0; j < BLOCK_BYTES; j++) {
                int q = w.get(ValueLayout.JAVA_BYTE, o + j) & 0xFF;
                s += CODEBOOK[q & 0x0F] * x[xi + j] + CODEBOOK[q >>> 4] * x[xi + 32 + j];
            }
            sum += s * scales.absmax(firstBlock + b);
        }
        return sum;
    }
}
