package ai.tarka.kernels.gemm;

/**
 * Chooses the GEMM backend with {@code -Dtarka.gemm=java|openblas|auto}.
 *
 * <p>{@code java} (the default) is Tarka's own SGEMM. On the 2-core AVX2 machine the project is
 * developed on, {@code tarka bench gemm} measures isolated OpenBLAS calls 5–10% faster, but
 * {@code tarka bench block} (a transformer block's forward and backward through the engine) measures
 * the pure-Java path 5–12% faster: OpenBLAS's own threads compete for the cores with Tarka's compute
 * pool between GEMM calls. The default follows the whole-step figure. {@code openblas} forces the
 * native library; {@code auto} takes OpenBLAS when it loads and falls back to Java otherwise.
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
                if (g == null) current = g = byName(System.getProperty("tarka.gemm", "java"));
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
            default -> throw new IllegalArgumentException("unknown GEMM backend '" + name + "' (expected java, openblas or auto)");
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
