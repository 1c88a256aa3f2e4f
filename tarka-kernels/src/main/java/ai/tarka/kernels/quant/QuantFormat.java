package ai.tarka.kernels.quant;

/**
 * Weight storage formats the inference kernels read in place. A row of {@code cols} elements takes
 * {@link #rowBytes(int)} bytes; block formats need {@code cols} to be a multiple of {@link #blockSize()}.
 *
 * <ul>
 *   <li>{@code F32}, {@code F16}, {@code BF16}: little-endian plain values.</li>
 *   <li>{@code Q8_0}: ggml's block of 32: f16 scale d, then 32 int8 q; value = q·d (34 bytes).</li>
 *   <li>{@code Q4_0}: ggml's block of 32: f16 scale d, then 16 bytes whose low nibbles are elements 0..15 and high
 *       nibbles elements 16..31; value = (q − 8)·d (18 bytes).</li>
 *   <li>{@code NF4}: Tarka's block of 64 four-bit NormalFloat codes (32 bytes, low nibbles elements 0..31, high
 *       nibbles 32..63); the per-block absmax lives outside the row data, double-quantised (see {@link Nf4Scales}).</li>
 * </ul>
 */
public enum QuantFormat {
    F32(1, 4), F16(1, 2), BF16(1, 2), Q8_0(32, 34), Q4_0(32, 18), NF4(64, 32);

    private final int blockSize;
    private final int blockBytes;

    QuantFormat(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Elements per block (1 for plain formats). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block in the row data (NF4's scales are stored apart). */
    public int blockBytes() {
        return blockBytes;
    }

    /** Bytes of one row of {@code cols} elements. */
    public long rowBytes(int cols) {
        return (long) cols / blockSize * blockBytes;
    }

    /** Throws naming the operation when {@code cols} does not fill whole blocks. */
    public void checkCols(String op, int cols) {
        if (cols <= 0 || cols % blockSize != 0)
            throw new IllegalArgumentException(op + ": " + this + " rows need a positive multiple of " + blockSize
                    + " columns, got " + cols);
    }
}
