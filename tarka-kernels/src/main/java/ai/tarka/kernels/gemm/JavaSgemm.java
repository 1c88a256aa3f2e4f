package ai.tarka.kernels.gemm;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;

/**
 * Pure-Java SGEMM: packed panels, cache blocking and a register-blocked Vector API microkernel
 * (see {@link SgemmJob} for the loop nest, {@link SgemmBlocking} for the sizes), parallel over the
 * given {@link ComputePool}. Results are deterministic and do not depend on the thread count:
 * every C element is summed in the same order whichever worker computes it.
 */
public final class JavaSgemm implements Gemm {
    private static final JavaSgemm SHARED = new JavaSgemm(ComputePool.shared());
    /** Products with at most this many multiply-adds skip packing (measured crossover: ~6x6x6). */
    private static final long DIRECT_MAX_WORK = 256;

    private final ComputePool pool;
    private final boolean vector;
    private final SgemmBlocking blocking;
    private final long directMaxWork;
    private final ThreadLocal<SgemmJob> jobs;

    /** SGEMM on the given pool's threads (for a thread count other than the shared pool's). */
    public JavaSgemm(ComputePool pool) {
        this(pool, Vec.ENABLED, null, DIRECT_MAX_WORK);
    }

    /**
     * For tests: {@code vector = false} forces the scalar microkernel, {@code blocking} (null for
     * the default) may shrink the cache blocks so small problems cross every block boundary, and
     * {@code directMaxWork = 0} sends even tiny products through the packed path.
     */
    JavaSgemm(ComputePool pool, boolean vector, SgemmBlocking blocking, long directMaxWork) {
        this.pool = pool;
        this.vector = vector && Vec.ENABLED;
        SgemmBlocking defaults = this.vector ? SgemmBlocking.forVector() : SgemmBlocking.forScalar();
        this.blocking = blocking == null ? defaults : blocking;
        if (this.blocking.mr() != defaults.mr() || this.blocking.nr() != defaults.nr()) {
            throw new IllegalArgumentException("the microkernel needs mr=" + defaults.mr() + " nr=" + defaults.nr()
                    + ", got " + this.blocking);
        }
        this.directMaxWork = directMaxWork;
        // Scratch belongs to the calling thread, so concurrent callers never share packing buffers.
        this.jobs = ThreadLocal.withInitial(() -> new SgemmJob(this.blocking, this.vector, pool));
    }

    /** The register and cache block sizes in use (for benchmark reports). */
    public String describe() {
        return (vector ? "vector " : "scalar ") + blocking.mr() + "x" + blocking.nr() + " tile, mc=" + blocking.mc()
                + " kc=" + blocking.kc() + " nc=" + blocking.nc() + ", " + pool.threads() + " thread(s)";
    }

    public static JavaSgemm shared() {
        return SHARED;
    }

    @Override
    public String name() {
        return "java";
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.checkArgs(name(), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            // BLAS semantics: A·B is not evaluated, so NaNs in A or B do not reach C.
            scale(m, n, beta, c, cOff, ldc);
        } else if ((long) m * n * k <= directMaxWork) {
            direct(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            jobs.get().multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /**
     * Packs {@code op(B) [k × n]} once for {@link #sgemm(boolean, int, float, float[], int, int, PackedMatrix, float,
     * float[], int, int)}, for a B that is multiplied many times unchanged (a frozen weight). Holds about
     * {@code k·n} floats; the source may change or go afterwards.
     */
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (k <= 0 || n <= 0) throw new IllegalArgumentException("pack: op(B) must be non-empty, got k=" + k + " n=" + n);
        Gemm.checkOperand(name() + " pack", "B", b, bOff, ldb, transB ? n : k, transB ? k : n, 0, n, k);
        return SgemmJob.pack(blocking, transB, k, n, b, bOff, ldb);
    }

    /**
     * {@code C[m×n] = alpha · op(A)[m×k] · B[k×n] + beta · C} with B packed by {@link #pack}: the same sums, in the
     * same order, as the unpacked call on the matrix it was packed from, without the per-call packing of B.
     */
    public void sgemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                      float beta, float[] c, int cOff, int ldc) {
        if (!b.blocking.equals(blocking)) {
            throw new IllegalArgumentException("sgemm: the packed B was made by another JavaSgemm (" + b.blocking + ", this one "
                    + blocking + ")");
        }
        int n = b.n, k = b.k;
        if (m < 0) throw new IllegalArgumentException(name() + " sgemm: negative size m=" + m);
        Gemm.checkOperand(name(), "A", a, aOff, lda, transA ? k : m, transA ? m : k, m, n, k);
        Gemm.checkOperand(name(), "C", c, cOff, ldc, m, n, m, n, k);
        if (m == 0) return;
        if (alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
        } else if ((long) m * n * k <= directMaxWork) {
            directPacked(transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
        } else {
            jobs.get().multiplyPacked(transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
        }
    }

    /** {@link #direct}'s dot products, in its order, reading B from its packed panels. */
    private static void directPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                                     float beta, float[] c, int cOff, int ldc) {
        int n = b.n, k = b.k, nr = b.nr;
        int aRow = transA ? 1 : lda, aStep = transA ? lda : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ai = aOff + i * aRow;
                float s = 0f;
                for (int pc = 0; pc < k; pc += b.kcStd) {
                    int kc = Math.min(b.kcStd, k - pc);
                    int bi = b.panelOffset(pc, kc, j / nr) + j % nr;
                    for (int p = 0; p < kc; p++, ai += aStep, bi += nr) s += a[ai] * b.data[bi];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }

    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
        }
    }

    /** One dot product per element; only for tiny products where packing dominates. */
    private static void direct(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda, aStep = transA ? lda : 1;
        int bCol = transB ? ldb : 1, bStep = transB ? 1 : ldb;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ai = aOff + i * aRow, bi = bOff + j * bCol;
                float s = 0f;
                for (int p = 0; p < k; p++, ai += aStep, bi += bStep) s += a[ai] * b[bi];
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }
}
