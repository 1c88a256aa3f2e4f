package ai.tarka.kernels.gemm;

import ai.tarka.kernels.Vec;

/**
 * Register and cache block sizes of the packed SGEMM. {@code mr × nr} is the register tile of the
 * microkernel; {@code kc} is the depth of one packed slice (one load-add-store sweep over C each; a
 * {@code kc × nr} B micro-panel is reused from L1 or L2 while A micro-panels stream past it),
 * {@code mc × kc} of packed A stays in L2, and
 * {@code kc × nc} of packed B is shared by all threads from L2/L3.
 */
record SgemmBlocking(int mr, int nr, int mc, int kc, int nc) {

    SgemmBlocking {
        if (mr < 1 || nr < 1 || kc < 1 || mc < mr || nc < nr) {
            throw new IllegalArgumentException("bad SGEMM blocking mr=" + mr + " nr=" + nr
                    + " mc=" + mc + " kc=" + kc + " nc=" + nc);
        }
        mc = mc / mr * mr;
        nc = nc / nr * nr;
    }

    /** The vector microkernel's tile: 3 rows × 3 vectors (see {@link SgemmMicroKernels#vector3x3}). */
    static final int VECTOR_MR = 3, VECTOR_NR_VECTORS = 3;
    /** The scalar fallback's 4x4 tile keeps 16 accumulators in general-purpose/xmm registers. */
    static final int SCALAR_MR = 4, SCALAR_NR = 4;

    /**
     * Sizes for this machine's vector width. Defaults were measured on a Zen 4 core with AVX2 (32 KiB
     * L1d, 1 MiB L2, 2.6 GHz): kc=1024, so a depth up to 1536 is one slice (see {@link SgemmJob}).
     * Each slice is one load-add-store sweep over C whose tiles miss to L3 (Java cannot prefetch
     * them), and that costs more than the B micro-panel (kc × 24 floats, 96 KiB) streaming from L2
     * instead of sitting in L1, which the hardware prefetcher follows: 1024³ on one core, best of
     * ~100 runs interleaved with OpenBLAS, 77.5-78.0 GFLOP/s with kc=1024 against 72-76 with
     * kc=256 (0.95 vs 0.89-0.92 of OpenBLAS); 2048³ 71.5 vs 69.2. mc=96 keeps the 96-row block of C a column block updates
     * (96 × 2048 floats = 768 KiB) in L2, so the 96-byte C tiles of neighbouring B panels share cache
     * lines there instead of missing to L3 (2048³ on two cores: ~115 vs ~108 GFLOP/s with mc=192).
     * nc=4080 makes a ~4 MiB shared B block in L3. {@code -Dtarka.gemm.mc/kc/nc} override them.
     */
    static SgemmBlocking forVector() {
        return withOverrides(VECTOR_MR, VECTOR_NR_VECTORS * Vec.L, 96, 1024, 4096);
    }

    /** The same register tile with other cache blocks (tests use tiny ones to cross every boundary). */
    SgemmBlocking withCacheBlocks(int mc, int kc, int nc) {
        return new SgemmBlocking(mr, nr, mc, kc, nc);
    }

    static SgemmBlocking forScalar() {
        return withOverrides(SCALAR_MR, SCALAR_NR, 128, 256, 2048);
    }

    private static SgemmBlocking withOverrides(int mr, int nr, int mc, int kc, int nc) {
        return new SgemmBlocking(mr, nr, Integer.getInteger("tarka.gemm.mc", mc),
                Integer.getInteger("tarka.gemm.kc", kc), Integer.getInteger("tarka.gemm.nc", nc));
    }
}
