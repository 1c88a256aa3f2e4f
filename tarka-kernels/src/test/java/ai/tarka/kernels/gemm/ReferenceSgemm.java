package ai.tarka.kernels.gemm;

/**
 * The plain triple loop every SGEMM backend is compared against, accumulating in double. Besides
 * the result it gives, per element, the magnitude {@code |alpha|·Σ|a·b| + |beta·c|} that bounds
 * the rounding error of any float evaluation order (the error of a float sum is proportional to the
 * sum of the magnitudes of its terms, not to the possibly cancelled result).
 */
final class ReferenceSgemm {
    private ReferenceSgemm() {}

    record Result(double[] value, double[] magnitude) {}

    static Result multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
        double[] value = new double[m * n];
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, mag = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                    mag += Math.abs(av * bv);
                }
                double old = beta == 0f ? 0 : (double) beta * c[cOff + i * ldc + j];
                value[i * n + j] = (double) alpha * s + old;
                magnitude[i * n + j] = Math.abs((double) alpha) * mag + Math.abs(old);
            }
        }
        return new Result(value, magnitude);
    }
}
