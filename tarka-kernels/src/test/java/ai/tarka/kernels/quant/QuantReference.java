package ai.tarka.kernels.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Plain-loop decoders of every format, written from the layout descriptions, and a double-precision dot. */
final class QuantReference {
    private QuantReference() {}

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static float[] decodeRow(QuantFormat f, MemorySegment w, long off, Nf4Scales scales, int row, int cols) {
        float[] out = new float[cols];
        for (int i = 0; i < cols; i++) {
            out[i] = switch (f) {
                case F32 -> w.get(FLOAT, off + 4L * i);
                case F16 -> Float.float16ToFloat(w.get(SHORT, off + 2L * i));
                case BF16 -> Float.intBitsToFloat(w.get(SHORT, off + 2L * i) << 16);
                case Q8_0 -> {
                    long block = off + (i / 32) * 34L;
                    yield Float.float16ToFloat(w.get(SHORT, block)) * w.get(ValueLayout.JAVA_BYTE, block + 2 + i % 32);
                }
                case Q4_0 -> {
                    long block = off + (i / 32) * 18L;
                    int j = i % 32;
                    int b = w.get(ValueLayout.JAVA_BYTE, block + 2 + j % 16) & 0xFF;
                    int q = j < 16 ? b & 15 : b >> 4;
                    yield Float.float16ToFloat(w.get(SHORT, block)) * (q - 8);
                }
                case NF4 -> {
                    int blockNo = row * (cols / 64) + i / 64;
                    int j = i % 64;
                    int b = w.get(ValueLayout.JAVA_BYTE, off + (i / 64) * 32L + j % 32) & 0xFF;
                    int q = j < 32 ? b & 15 : b >> 4;
                    float absmax = scales.codes()[blockNo] * scales.groupScales()[blockNo / 256] + scales.offset();
                    yield Nf4.CODEBOOK[q] * absmax;
                }
            };
        }
        return out;
    }

    static double dot(float[] a, float[] x, int xOff) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * x[xOff + i];
        return s;
    }

    static double absDot(float[] a, float[] x, int xOff) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs((double) a[i] * x[xOff + i]);
        return s;
    }

    /**
     * Activation quantisation written from its description: per block of 32, d = absmax/127 and
     * q = floor(x·(127/absmax) + 0.5), returned as integers with each block's d written to {@code scalesOut}.
     */
    static int[] quantizeActivations(float[] x, int off, int n, float[] scalesOut) {
        int[] q = new int[n];
        for (int b = 0; b < n / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[off + b * 32 + j]));
            scalesOut[b] = amax / 127f;
            float id = amax == 0 ? 0f : 127f / amax;
            for (int j = 0; j < 32; j++) q[b * 32 + j] = (int) Math.floor(x[off + b * 32 + j] * id + 0.5f);
        }
        return q;
    }

    /** Σ_blocks d_w·d_x·Σ w_q·x_q in double, from a decoded row (w = d_w·w_q) and quantised activations. */
    static double dotQuantised(float[] row, int[] q, float[] d) {
        double s = 0;
        for (int i = 0; i < row.length; i++) s += (double) row[i] * q[i] * d[i / 32];
        return s;
    }

    /** An NF4 row decoded with each code value rounded to a multiple of 1/127 (what the integer kernel multiplies). */
    static float[] decodeNf4Int8Codebook(MemorySegment w, long off, Nf4Scales scales, int row, int cols) {
        float[] out = new float[cols];
        for (int i = 0; i < cols; i++) {
            int blockNo = row * (cols / 64) + i / 64, j = i % 64;
            int b = w.get(ValueLayout.JAVA_BYTE, off + (i / 64) * 32L + j % 32) & 0xFF;
            int q = j < 32 ? b & 15 : b >> 4;
            float absmax = scales.codes()[blockNo] * scales.groupScales()[blockNo / 256] + scales.offset();
            out[i] = Math.round(Nf4.CODEBOOK[q] * 127f) / 127f * absmax;
        }
        return out;
    }
}
