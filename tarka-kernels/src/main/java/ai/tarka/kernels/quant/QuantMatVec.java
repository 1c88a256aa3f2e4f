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

    /**
     * Whether {@code f}'s rows have an integer kernel against activations quantised by {@link Q8Activations}
     * (Q8_0, Q4_0 and NF4 with 8 float lanes or with the vector paths off). System property
     * {@code tarka.quant.activations=f32} turns the integer kernels off, to compare against the float ones.
     */
    public static boolean takesQ8Activations(QuantFormat f) {
        return Q8_ACTIVATIONS && takesQ8AnyWay(f) && (!QuantSpecies.ENABLED || QuantSpecies.INT8_DOTS);
    }

    private static final boolean Q8_ACTIVATIONS = !"f32".equalsIgnoreCase(System.getProperty("tarka.quant.activations", "q8"));

    /**
     * Rows {@code [r0, r1)} of {@link #matmul(QuantFormat, MemorySegment, long, Nf4Scales, int, Q8Activations, float[], int, int)}
     * on the calling thread (row r's data at byte {@code off + r·rowBytes}).
     */
    public static void matmulRows(QuantFormat f, MemorySegment w, long off, Nf4Scales scales, int r0, int r1, Q8Activations x,
                                  float[] y, int yOff, int ldy) {
        switch (f) {
            case Q8_0 -> Q8_0.dotRows(w, off, r0, r1, x, y, yOff, ldy);
            case Q4_0 -> Q4_0.dotRows(w, off, r0, r1, x, y, yOff, ldy);
            case NF4 -> Nf4.dotRows(w, off, scales, r0, r1, x, y, yOff, ldy);
            default -> throw new IllegalArgumentException("QuantMatVec.matmulRows: no kernel for " + f + " rows against Q8 activations");
        }
    }

    /**
     * {@code y[b·ldy + yOff + r] = Σ_c w[r, c]·x_b[c]} for every vector b of {@code x} (quantised once by the caller
     * and shared by all rows), {@code r < rows}; the integer counterpart of {@link #matmul}.
     */
    public static void matmul(QuantFormat f, MemorySegment w, long off, Nf4Scales scales, int rows, Q8Activations x,
                              float[] y, int yOff, int ldy) {
        int cols = x.cols(), batch = x.batch();
        f.checkCols("QuantMatVec.matmul", cols);
        long rb = f.rowBytes(cols);
        if (!takesQ8AnyWay(f))
            throw new IllegalArgumentException("QuantMatVec.matmul: no kernel for " + f + " rows against Q8 activations");
        if ((f == QuantFormat.NF4) != (scales != null))
            throw new IllegalArgumentException("QuantMatVec.matmul: NF4 needs its block scales and other formats none (" + f + ")");
        if (off < 0 || off + rb * rows > w.byteSize())
            throw new IllegalArgumentException("QuantMatVec.matmul: " + f + " [" + rows + "x" + cols + "] needs "
                    + rb * rows + " bytes at offset " + off + ", segment holds " + w.byteSize());
        if (yOff < 0 || yOff + (long) (batch - 1) * ldy + rows > y.length)
            throw new IllegalArgumentException("QuantMatVec.matmul: y[" + y.length + "] too small for " + batch
                    + " vectors of " + rows + " (ldy " + ldy + ")");
        ComputePool.shared().parallelFor(rows, GRAIN_ROWS, (r0, r1) -> matmulRows(f, w, off, scales, r0, r1, x, y, yOff, ldy));
    }

    /** The formats with integer kernels on every path (the property only picks which path inference takes). */
    private static boolean takesQ8AnyWay(QuantFormat f) {
        return f == QuantFormat.Q8_0 || f == QuantFormat.Q4_0 || f == QuantFormat.NF4;
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
