package ai.tarka.kernels.gemm;

/**
 * Chooses the GEMM backend: {@code -Dtarka.gemm=java} (the default) or {@code openblas}.
 */
public final class Gemms {
    private Gemms() {}

    private static volatile Gemm current;

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

    public static Gemm byName(String name) {
        return switch (name.trim().toLowerCase()) {
            case "java" -> JavaSgemm.shared();
            case "openblas" -> OpenBlasSgemm.load();
            default -> throw new IllegalArgumentException("unknown GEMM backend '" + name + "' (expected java or openblas)");
        };
    }
}
