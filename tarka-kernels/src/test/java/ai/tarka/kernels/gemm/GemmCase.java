package ai.tarka.kernels.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

/**
 * One randomised SGEMM problem: operands with offsets and leading dimensions wider than needed, C
 * surrounded by sentinels (so writes outside the m×n window are caught), and the check against
 * {@link ReferenceSgemm}.
 */
record GemmCase(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                int aOff, int lda, int bOff, int ldb, int cOff, int ldc, long seed) {

    static final float SENTINEL = -12345.5f;

    /**
     * Float rounding of a length-k dot product: each partial sum loses at most one unit roundoff
     * (2^-24) of the magnitudes summed so far, which for random-signed data grows like sqrt(k)
     * rather than the worst-case k. Blocked and FMA evaluation orders stay within that. The factor
     * 8 covers the alpha folding and final beta update (two more roundings) and the tail of the
     * error distribution over the ~10^6 elements a test run checks.
     */
    static double tolerance(int k, double magnitude) {
        double u = Math.ulp(1f) / 2;
        return 8 * Math.sqrt(Math.max(k, 1) + 2) * u * magnitude + 1e-30;
    }

    static GemmCase random(Random r, int m, int n, int k, boolean transA, boolean transB,
                           float alpha, float beta, boolean padded) {
        int aCols = transA ? m : k, bCols = transB ? k : n;
        return new GemmCase(transA, transB, m, n, k, alpha, beta,
                padded ? r.nextInt(5) : 0, aCols + (padded ? r.nextInt(4) : 0),
                padded ? r.nextInt(5) : 0, bCols + (padded ? r.nextInt(4) : 0),
                padded ? r.nextInt(5) : 0, n + (padded ? r.nextInt(4) : 0), r.nextLong());
    }

    float[] newA() {
        return fill(aOff + (long) (transA ? k : m) * lda, new Random(seed));
    }

    float[] newB() {
        return fill(bOff + (long) (transB ? n : k) * ldb, new Random(seed + 1));
    }

    /** C's window holds random values (or NaN, to prove beta = 0 ignores them); the rest sentinels. */
    float[] newC(boolean nanInside) {
        float[] c = new float[cOff + m * ldc + 3];
        Arrays.fill(c, SENTINEL);
        Random r = new Random(seed + 2);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = nanInside ? Float.NaN : r.nextFloat() * 2 - 1;
        }
        return c;
    }

    private static float[] fill(long size, Random r) {
        float[] x = new float[(int) Math.max(size, 1)];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    /** Runs the backend on fresh operands and checks every element and every sentinel. */
    float[] runAndCheck(Gemm gemm) {
        float[] a = newA(), b = newB();
        float[] c = newC(beta == 0f);
        float[] cBefore = c.clone();
        ReferenceSgemm.Result ref = ReferenceSgemm.multiply(transA, transB, m, n, k, alpha,
                a, aOff, lda, b, bOff, ldb, beta, cBefore, cOff, ldc);
        gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        double worst = 0;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - cOff;
            int i = rel >= 0 ? rel / ldc : -1, j = rel >= 0 ? rel % ldc : -1;
            if (i >= 0 && i < m && j < n) {
                double want = ref.value()[i * n + j];
                double tol = tolerance(k, ref.magnitude()[i * n + j]);
                double err = Math.abs(c[idx] - want);
                if (!(err <= tol)) {
                    throw new AssertionError(gemm.name() + " " + this + ": C[" + i + "," + j + "] = " + c[idx]
                            + " but reference " + want + " (error " + err + " > tolerance " + tol + ")");
                }
                worst = Math.max(worst, err / tol);
            } else {
                assertThat(c[idx]).as("%s %s: C[%d] outside the m×n window was written", gemm.name(), this, idx)
                        .isEqualTo(cBefore[idx]);
            }
        }
        return c;
    }
}
