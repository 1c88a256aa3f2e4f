package ai.tarka.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel uses, chosen once at start-up. {@code -Dtarka.vector.bits=128|256|512}
 * forces a width and {@code -Dtarka.vector.bits=0} (or {@code tarka.vector=scalar}) selects the scalar
 * paths, which every kernel keeps as a fallback.
 */
public final class Vec {
    private Vec() {}

    /** The float species for hot loops. */
    public static final VectorSpecies<Float> F;
    /** Lanes of {@link #F}. */
    public static final int L;
    /** False when the scalar fallback paths are forced. */
    public static final boolean ENABLED;

    static {
        String bits = System.getProperty("tarka.vector.bits", "");
        boolean scalar = "scalar".equalsIgnoreCase(System.getProperty("tarka.vector", "")) || "0".equals(bits.trim());
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        if (!scalar && !bits.isBlank()) {
            s = VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
        }
        F = s;
        L = s.length();
        ENABLED = !scalar && L > 1;
    }

    /** One line for logs: which width the kernels use. */
    public static String describe() {
        return ENABLED ? F.vectorBitSize() + "-bit (" + L + " float lanes)" : "scalar (vector paths disabled)";
    }

    /** Largest multiple of the lane count not above n. */
    public static int loopBound(int n) {
        return ENABLED ? F.loopBound(n) : 0;
    }
}
