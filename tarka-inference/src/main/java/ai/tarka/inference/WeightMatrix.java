package ai.tarka.inference;

import ai.tarka.kernels.quant.Nf4;
import ai.tarka.kernels.quant.Nf4Scales;
import ai.tarka.kernels.quant.PlainRows;
import ai.tarka.kernels.quant.Q4_0;
import ai.tarka.kernels.quant.Q8Activations;
import ai.tarka.kernels.quant.Q8_0;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.kernels.quant.QuantMatVec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A [rows, cols] weight matrix ({@code y = W·x}, rows = outputs) stored row-major in one {@link QuantFormat} inside a
 * {@link MemorySegment}: a slice of a memory-mapped model file used in place, or a heap segment over a float[].
 *
 * @param name   the tensor name, for error messages
 * @param scales NF4's block scales (null for every other format)
 */
public record WeightMatrix(String name, QuantFormat format, int rows, int cols, MemorySegment data, Nf4Scales scales) {

    public WeightMatrix {
        format.checkCols("WeightMatrix '" + name + "'", cols);
        if (rows <= 0) throw new IllegalArgumentException("WeightMatrix '" + name + "': rows must be positive, got " + rows);
        long need = format.rowBytes(cols) * rows;
        if (data.byteSize() < need)
            throw new IllegalArgumentException("WeightMatrix '" + name + "': " + format + " [" + rows + "x" + cols + "] needs "
                    + need + " bytes, the data holds " + data.byteSize());
        if ((format == QuantFormat.NF4) != (scales != null))
            throw new IllegalArgumentException("WeightMatrix '" + name + "': NF4 needs scales and other formats none");
    }

    /** An F32 matrix over a heap array (no copy). */
    public static WeightMatrix ofFloats(String name, float[] w, int rows, int cols) {
        if (w.length != (long) rows * cols)
            throw new IllegalArgumentException("WeightMatrix '" + name + "': " + w.length + " floats for [" + rows + "x" + cols + "]");
        return new WeightMatrix(name, QuantFormat.F32, rows, cols, MemorySegment.ofArray(w), null);
    }

    /** Bytes the weights occupy (what one full matrix-vector product reads). */
    public long byteSize() {
        return format.rowBytes(cols) * rows + (scales == null ? 0 : scales.codes().length + 4L * scales.groupScales().length);
    }

    /** The backing float[] when this is F32 over a whole heap array, else null (the GEMM path can then skip decoding). */
    public float[] heapFloats() {
        if (format != QuantFormat.F32) return null;
        Object base = data.heapBase().orElse(null);
        return base instanceof float[] f && f.length == rows * cols ? f : null;
    }

    /** {@code y[b·ldy + yOff + r] = Σ_c W[r, c]·x[b·ldx + xOff + c]} for every row and {@code b < batch}. */
    public void matmul(float[] x, int xOff, int ldx, int batch, float[] y, int yOff, int ldy) {
        QuantMatVec.matmul(format, data, 0, scales, rows, cols, x, xOff, ldx, batch, y, yOff, ldy);
    }

    /** {@link #matmul} for rows {@code [r0, r1)} only, on the calling thread. */
    public void matmulRows(int r0, int r1, float[] x, int xOff, int ldx, int batch, float[] y, int yOff, int ldy) {
        long rb = format.rowBytes(cols);
        int blocksPerRow = cols / format.blockSize();
        for (int r = r0; r < r1; r++)
            for (int b = 0; b < batch; b++)
                y[yOff + b * ldy + r] = QuantMatVec.rowDot(format, data, r * rb, scales, r * blocksPerRow, x, xOff + b * ldx, cols);
    }

    /** Whether decode-sized products quantise their input for this format's integer kernel (see {@link Q8Activations}). */
    public boolean takesQ8Activations() {
        return QuantMatVec.takesQ8Activations(format);
    }

    /** {@link #matmulRows} against activations already quantised by {@link Q8Activations} (every vector of {@code x}). */
    public void matmulRows(int r0, int r1, Q8Activations x, float[] y, int yOff, int ldy) {
        if (x.cols() != cols)
            throw new IllegalArgumentException("WeightMatrix '" + name + "': [" + rows + "x" + cols + "] times vectors of " + x.cols());
        QuantMatVec.matmulRows(format, data, 0, scales, r0, r1, x, y, yOff, ldy);
    }

    /** Decodes rows {@code [r0, r1)} into {@code dst[dstOff..]}. */
    public void dequantizeRows(int r0, int r1, float[] dst, int dstOff) {
        if (r0 < 0 || r1 > rows || r0 > r1)
            throw new IllegalArgumentException("WeightMatrix '" + name + "': rows [" + r0 + ", " + r1 + ") outside " + rows);
        QuantMatVec.dequantizeRows(format, data, 0, scales, cols, r0, r1, dst, dstOff);
    }

    /** All values as F32. */
    public float[] toFloats() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        dequantizeRows(0, rows, out, 0);
        return out;
    }

    /** This matrix re-encoded in {@code target}, its bytes allocated in {@code arena}. */
    public WeightMatrix convert(QuantFormat target, Arena arena) {
        float[] w = toFloats();
        return encode(name, w, rows, cols, target, arena);
    }

    /** Encodes row-major floats into {@code target}. */
    public static WeightMatrix encode(String name, float[] w, int rows, int cols, QuantFormat target, Arena arena) {
        target.checkCols("quantise '" + name + "'", cols);
        MemorySegment seg = arena.allocate(target.rowBytes(cols) * rows, 64);
        Nf4Scales scales = null;
        int n = rows * cols;
        switch (target) {
            case F32, F16, BF16 -> PlainRows.encode(target, w, 0, n, seg, 0);
            case Q8_0 -> Q8_0.quantize(w, 0, n, seg, 0);
            case Q4_0 -> Q4_0.quantize(w, 0, n, seg, 0);
            case NF4 -> scales = Nf4.quantize(w, rows, cols, seg, 0);
        }
        return new WeightMatrix(name, target, rows, cols, seg, scales);
    }
}
