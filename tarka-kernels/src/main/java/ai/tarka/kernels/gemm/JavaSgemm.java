package ai.tarka.kernels.gemm;

import ai.tarka.kernels.ComputePool;

/**
 * Pure-Java SGEMM. PLACEHOLDER: a simple row-parallel loop until the packed, register-blocked
 * kernel lands; the interface and semantics are final.
 */
public final class JavaSgemm implements Gemm {
    private static final JavaSgemm SHARED = new JavaSgemm(ComputePool.shared());
    private final ComputePool pool;

    public JavaSgemm(ComputePool pool) {
        this.pool = pool;
    }

    public static JavaSgemm shared() {
        return SHARED;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.checkArgs(name(), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        pool.parallelFor(m, 4, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += av * bv;
                    }
                    int ci = cOff + i * ldc + j;
                    c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
                }
            }
        });
    }
}
