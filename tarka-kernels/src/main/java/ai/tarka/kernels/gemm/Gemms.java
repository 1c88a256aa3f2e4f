package ai.tarka.kernels.gemm;

/**
 * Chooses the GEMM backend with {@code -Dtarka.gemm=auto|java|openblas}.
 *
 * <p>{@code auto} (the default) takes native OpenBLAS when its library loads on this platform and the
 * pure-Java SGEMM otherwise: {@code tarka bench gemm} measured OpenBLAS 5–25% faster on the 2-core
 * AVX2 machine the project is developed on, and the issue that introduced both backends asks for
 * OpenBLAS as the default in that case. {@code java} forces the pure-Java kernel, which stays
 * complete and tested on its own.
 */
public final class Gemms {
    private Gemms() {}

    private static volatile Gemm current;
    private static volatile String autoFallbackReason;

    /** The backend the engine uses. */
    public static Gemm get() {
        Gemm g = current;
        if (g == null) {
            synchronized (Gemms.class) {
                g = current;
                if (g == null) current = g = byName(System.getProperty("tarka.gemm", "auto"));
            }
        }
        return g;
    }

    /** Replaces the engine's backend (benchmarks and tests). */
    public static void set(Gemm gemm) {
        current = gemm;
    }

    /** Why {@code auto} fell back to the pure-Java kernel, or null when it did not. */
    public static String autoFallbackReason() {
        return autoFallbackReason;
    }

    public static Gemm byName(String name) {
        return switch (name.trim().toLowerCase()) {
            case "auto" -> auto();
            case "java" -> JavaSgemm.shared();
            case "openblas" -> OpenBlasSgemm.load();
            default -> throw new IllegalArgumentException("unknown GEMM backend '" + name + "' (expected auto, java or openblas)");
        };
    }

    private static Gemm auto() {
        try {
            return OpenBlasSgemm.load();
        } catch (RuntimeException | LinkageError e) {
            autoFallbackReason = String.valueOf(e.getMessage());
            return JavaSgemm.shared();
        }
    }
}
