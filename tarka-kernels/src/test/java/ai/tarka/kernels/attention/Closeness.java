package ai.tarka.kernels.attention;

import static org.assertj.core.api.Assertions.assertThat;

/** Element-wise comparison of a float result with a double reference. */
final class Closeness {
    private Closeness() {}

    /**
     * Asserts {@code |actual − expected| <= atol + rtol·|expected|} everywhere; infinities must match exactly.
     * Returns the largest absolute difference seen, for tests that report it.
     */
    static double assertClose(String what, float[] actual, double[] expected, double atol, double rtol) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isInfinite(e)) {
                assertThat(a).as(what + "[" + i + "]").isEqualTo(e);
                continue;
            }
            assertThat(Double.isFinite(a)).as(what + "[" + i + "] = " + a + " is finite").isTrue();
            double diff = Math.abs(a - e);
            worst = Math.max(worst, diff);
            if (diff > atol + rtol * Math.abs(e)) {
                throw new AssertionError(what + "[" + i + "]: " + a + " vs reference " + e + " (|diff| " + diff
                        + " > " + (atol + rtol * Math.abs(e)) + ")");
            }
        }
        return worst;
    }
}
