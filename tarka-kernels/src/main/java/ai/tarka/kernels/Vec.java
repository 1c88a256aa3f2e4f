package ai.tarka.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
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

    // lane i takes lane (i + k) mod L; built after F, as static fields initialise in textual order
    private static final VectorShuffle<Float> ROTATE_8 = rotation(8);
    private static final VectorShuffle<Float> ROTATE_4 = rotation(4);
    private static final VectorShuffle<Float> ROTATE_2 = rotation(2);
    private static final VectorShuffle<Float> ROTATE_1 = rotation(1);

    private static VectorShuffle<Float> rotation(int k) {
        return VectorShuffle.iota(F, k % Math.max(L, 1), 1, true);
    }

    /** Doubles in a vector of {@link #F}'s width: the species {@link #sum(DoubleVector)} takes. */
    public static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    private static final VectorShuffle<Double> D_ROTATE_4 = VectorShuffle.iota(D, 4 % D.length(), 1, true);
    private static final VectorShuffle<Double> D_ROTATE_2 = VectorShuffle.iota(D, 2 % D.length(), 1, true);
    private static final VectorShuffle<Double> D_ROTATE_1 = VectorShuffle.iota(D, 1 % D.length(), 1, true);

    /**
     * The sum of v's lanes, always in the same order: halves added lane-wise until one lane is left,
     * e.g. {@code ((v0+v4)+(v2+v6))+((v1+v5)+(v3+v7))} for 8 lanes. {@code reduceLanes(ADD)} may not
     * be used for this: its order is unspecified, and HotSpot does change it when C2 compiles the
     * caller (lane order when interpreted, a tree when compiled), so a kernel's result would depend on
     * how warm the JIT is and two identical runs could differ in the last bits. Lane-wise adds are
     * exact IEEE operations in every tier, so this sum is the same at any time, and it is the order
     * compiled {@code reduceLanes} used, so warm results do not change.
     */
    public static float sum(FloatVector v) {
        FloatVector t = v;
        if (L >= 16) t = t.add(t.rearrange(ROTATE_8));
        if (L >= 8) t = t.add(t.rearrange(ROTATE_4));
        if (L >= 4) t = t.add(t.rearrange(ROTATE_2));
        if (L >= 2) t = t.add(t.rearrange(ROTATE_1));
        return t.lane(0);
    }

    /** {@link #sum(FloatVector)} for a vector of species {@link #D}. */
    public static double sum(DoubleVector v) {
        if (v.species() != D) throw new IllegalArgumentException("Vec.sum: expected species " + D + ", got " + v.species());
        int n = D.length();
        DoubleVector t = v;
        if (n >= 8) t = t.add(t.rearrange(D_ROTATE_4));
        if (n >= 4) t = t.add(t.rearrange(D_ROTATE_2));
        if (n >= 2) t = t.add(t.rearrange(D_ROTATE_1));
        return t.lane(0);
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
