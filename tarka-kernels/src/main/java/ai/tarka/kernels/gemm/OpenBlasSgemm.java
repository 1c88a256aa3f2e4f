package ai.tarka.kernels.gemm;

/** Native OpenBLAS behind {@link Gemm}. PLACEHOLDER until the FFM binding lands. */
public final class OpenBlasSgemm {
    private OpenBlasSgemm() {}

    public static Gemm load() {
        throw new UnsupportedOperationException("OpenBLAS backend not available yet");
    }
}
