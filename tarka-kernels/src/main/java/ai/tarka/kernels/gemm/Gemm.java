package ai.tarka.kernels.gemm;

/**
 * Single-precision matrix multiply on row-major arrays:
 * {@code C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C}, where {@code op(X)} is X or its
 * transpose. {@code lda}, {@code ldb}, {@code ldc} are row strides of the arrays as stored (so a
 * transposed A is stored k×m with {@code lda >= m}). When {@code beta == 0}, C is overwritten and
 * its previous contents (even NaN) are ignored.
 *
 * <p>Every backend (pure Java, OpenBLAS) implements this one interface; {@link Gemms} picks one.
 */
public interface Gemm {

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    /** Short name shown in benchmarks and logs, e.g. {@code java} or {@code openblas}. */
    String name();

    /** Checks the arguments of a call; every backend runs it so all fail with the same message. */
    static void checkArgs(String backend, boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(backend + " sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        checkOperand(backend, "A", a, aOff, lda, aRows, aCols, m, n, k);
        checkOperand(backend, "B", b, bOff, ldb, bRows, bCols, m, n, k);
        checkOperand(backend, "C", c, cOff, ldc, m, n, m, n, k);
    }

    /** Checks that operand {@code which} of an {@code m×n×k} product, {@code rows × cols} stored with stride ld, lies in x. */
    static void checkOperand(String backend, String which, float[] x, int off, int ld, int rows, int cols,
                              int m, int n, int k) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) {
            throw new IllegalArgumentException(backend + " sgemm: ld" + which.toLowerCase() + "=" + ld
                    + " is smaller than the " + cols + " columns of " + which + " (m=" + m + " n=" + n + " k=" + k + ")");
        }
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException(backend + " sgemm: " + which + " [" + rows + "x" + cols + ", ld=" + ld
                    + ", offset=" + off + "] needs " + last + " floats but the array has " + x.length
                    + " (m=" + m + " n=" + n + " k=" + k + ")");
        }
    }
}
