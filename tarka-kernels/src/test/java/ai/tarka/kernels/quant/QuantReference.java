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
}
