package ai.tarka.kernels.gemm;

import ai.tarka.kernels.ComputePool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Native OpenBLAS {@code cblas_sgemm} behind {@link Gemm}, called through the FFM API with the Java
 * arrays passed in place (no copies). OpenBLAS runs its own threads; the thread count is a
 * process-wide OpenBLAS setting, so it is set before a call whenever it differs from the last one.
 */
public final class OpenBlasSgemm implements Gemm {
    private static final Object THREADS_LOCK = new Object();
    private static int threadsSet = -1;

    private final OpenBlasLibrary lib;
    private final int threads;

    private OpenBlasSgemm(OpenBlasLibrary lib, int threads) {
        this.lib = lib;
        this.threads = threads;
    }

    /** OpenBLAS with as many threads as the shared compute pool. */
    public static Gemm load() {
        return load(ComputePool.shared().threads());
    }

    /** OpenBLAS with {@code threads} threads; throws {@link UnsupportedOperationException} saying why when unavailable. */
    public static OpenBlasSgemm load(int threads) {
        if (threads < 1) throw new IllegalArgumentException("openblas threads must be >= 1, got " + threads);
        return new OpenBlasSgemm(OpenBlasLibrary.get(), threads);
    }

    @Override
    public String name() {
        return "openblas";
    }

    public int threads() {
        return threads;
    }

    /** OpenBLAS's name for the kernel set it picked for this CPU (e.g. {@code Haswell}, {@code Zen}). */
    public String coreName() {
        return lib.coreName;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.checkArgs(name(), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            // BLAS rejects lda < 1 even when nothing is read; scaling C needs no native call.
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
            }
            return;
        }
        ensureThreads();
        try {
            lib.sgemm.invokeExact(OpenBlasLibrary.ROW_MAJOR,
                    transA ? OpenBlasLibrary.TRANS : OpenBlasLibrary.NO_TRANS,
                    transB ? OpenBlasLibrary.TRANS : OpenBlasLibrary.NO_TRANS,
                    m, n, k, alpha,
                    slice(a, aOff), lda, slice(b, bOff), ldb, beta, slice(c, cOff), ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas sgemm failed (m=" + m + " n=" + n + " k=" + k + ")", t);
        }
    }

    private static MemorySegment slice(float[] x, int off) {
        return MemorySegment.ofArray(x).asSlice(off * ValueLayout.JAVA_FLOAT.byteSize());
    }

    private void ensureThreads() {
        synchronized (THREADS_LOCK) {
            if (threadsSet == threads) return;
            try {
                lib.setNumThreads.invokeExact(threads);
            } catch (Throwable t) {
                throw new IllegalStateException("openblas_set_num_threads(" + threads + ") failed", t);
            }
            threadsSet = threads;
        }
    }
}
