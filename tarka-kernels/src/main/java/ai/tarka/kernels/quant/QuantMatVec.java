package ai.tarka.kernels.quant;

import ai.tarka.kernels.ComputePool;
import java.lang.foreign.MemorySegment;

/**
 * Matrix-vector products with a weight matrix stored row-major in any {@link QuantFormat} inside a
 * {@link MemorySegment} (typically the memory-mapped model file, read in place). Rows are split over
 * {@link ComputePool#shared()} in contiguous chunks, so each thread streams its own part of the weights once.
 */
public final class QuantMatVec {
    private QuantMatVec() {}

    /** Rows per chunk below which threads cost more than they save. */
    private static final int GRAIN_ROWS = 16;

    /** Σ_c w[row, c]·x[xOff + c] for one row whose data starts at byte {@code rowOff}. */
    public static float rowDot(QuantFormat f, MemorySegment w, long rowOff, Nf4Scales scales, int firstBlock,
                               float[] x, int xOff, int cols) {
        return switch (f) {
            case F32 -> PlainRows.dotF32(w, rowOff, x, xOff, cols);
            case F16 -> PlainRows.dotF16(w, rowOff, x, xOff, cols);
            case BF16 -> PlainRows.dotBf16(w, rowOff, x, xOff, cols);
            case Q8_0 -> Q8_0.dot(w, rowOff, x, xOff, cols);
            case Q4_0 -> Q4_0.dot(w, rowOff, x, xOff, cols);
            case NF4 -> Nf4.dot(w, rowOff, scales, firstBlock, x, xOff, cols);
        };
    }

    /** Decodes rows {@code [r0, r1)} into {@code dst[dstOff..]} ((r1 − r0)·cols floats, row-major). */
    public static void dequantizeRows(QuantFormat f, MemorySegment w, long off, Nf4Scales scales, int cols, int r0, int r1,
                                      float[] dst, int dstOff) {
        long rb = f.rowBytes(cols);
        for (int r = r0; r < r1; r++) {
            long o = off + r * rb;
            int d = dstOff + (r - r0) * cols;
            switch (f) {
                case F32, F16, BF16 -> PlainRows.decode(f, w, o, dst, d, cols);
                case Q8_0 -> Q8_0.dequantize(w, o, dst, d, cols);
                case Q4_0 -> Q4_0.dequantize(w, o, dst, d, cols);
                case NF4 -> Nf4.dequantize(w, o, scales, r * (cols / Nf4.BLOCK), dst, d, cols);
            }
        }
    }

    /**
     * {@code y[b·ldy + yOff + r] = Σ_c w[r, c]·x[b·ldx + xOff + c]} for {@code b < batch}, {@code r < rows}: each
     * weight row is read from memory once and used for all {@code batch} vectors while it is in cache.
     */
    public static void matmul(QuantFormat f, MemorySegment w, long off, Nf4Scales scales, int rows, int cols,
                              float[] x, int xOff, int ldx, int batch, float[] y, int yOff, int ldy) {
        f.checkCols("QuantMatVec.matmul", cols);
        long rb = f.rowBytes(cols);
        if (off < 0 || off + rb * rows > w.byteSize())
            throw new IllegalArgumentException("QuantMatVec.matmul: " + f + " [" + rows + "x" + cols + "] needs "
                    + rb * rows + " bytes at offset " + off + ", segment holds " + w.byteSize());
        if (batch < 1 || xOff + (long) (batch - 1) * ldx + cols > x.length || yOff + (long) (batch - 1) * ldy + rows > y.length)
            throw new IllegalArgumentException("QuantMatVec.matmul: x[" + x.length + "] / y[" + y.length + "] too small for "
                    + batch + " vectors of " + cols + " -> " + rows + " (ldx " + ldx + ", ldy " + ldy + ")");
        int blocksPerRow = cols / f.blockSize();
        ComputePool.shared().parallelFor(rows, GRAIN_ROWS, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long o = off + r * rb;
                for (int b = 0; b < batch; b++)
                    y[yOff + b * ldy + r] = rowDot(f, w, o, scales, r * blocksPerRow, x, xOff + b * ldx, cols);
            }
        });
    }

    /** {@code y[yOff + r] = Σ_c w[r, c]·x[xOff + c]}. */
    public static void matvec(QuantFormat f, MemorySegment w, long off, Nf4Scales scales, int rows, int cols,
                              float[] x, int xOff, float[] y, int yOff) {
        matmul(f, w, off, scales, rows, cols, x, xOff, cols, 1, y, yOff, rows);
    }
}
