package ai.tarka.kernels;

import java.util.Random;

/** Element-wise closeness checks of kernel output against double-precision references. */
public final class ApproxArrays {
    private ApproxArrays() {}

    /** Fails on the worst element with |actual − expected| > atol + rtol·|expected|. */
    public static void assertClose(String what, float[] actual, double[] expected, double rtol, double atol) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": length " + actual.length + " vs expected " + expected.length);
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < actual.length; i++) {
            double a = actual[i], e = expected[i];
            double excess;
            if (Double.isNaN(a) || Double.isNaN(e)) {
                excess = Double.isNaN(a) && Double.isNaN(e) ? 0 : Double.POSITIVE_INFINITY;
            } else if (a == e) {
                excess = 0; // also equal infinities
            } else {
                excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
            }
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(what + ": element " + worst + " is " + actual[worst] + ", expected "
                    + expected[worst] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    public static void assertClose(String what, float[] actual, float[] expected, double rtol, double atol) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = expected[i];
        assertClose(what, actual, e, rtol, atol);
    }

    public static float[] gaussian(Random rng, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * std);
        return a;
    }

    /** The float array plus a double-precision copy of its values. */
    public static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
