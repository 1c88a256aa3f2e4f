package ai.tarka.kernels.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GradientKernelsTest {

    static IntStream lengths() {
        return IntStream.of(0, 1, 5, 15, 16, 17, 33, 1000, 4099);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void sumOfSquaresMatchesDoubleReference(int n) {
        Random r = new Random(n);
        float[] a = new float[n + 3];
        for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * 1e3);
        double ref = 0;
        for (int i = 0; i < n; i++) ref += (double) a[2 + i] * a[2 + i];
        assertThat(GradientKernels.sumOfSquares(a, 2, n)).isCloseTo(ref, offset(Math.abs(ref) * 1e-14 + 1e-300));
        assertThat(GradientKernels.sumOfSquaresScalar(a, 2, n)).isCloseTo(ref, offset(Math.abs(ref) * 1e-14 + 1e-300));
    }

    @Test
    void sumOfSquaresDoesNotLoseSmallTermsNextToLargeOnes() {
        // 1e6 squared is 1e12, where float spacing is 65536: the 1.0s would vanish in a float accumulator
        float[] a = new float[1 + 64];
        a[0] = 1e6f;
        for (int i = 1; i < a.length; i++) a[i] = 1f;
        assertThat(GradientKernels.sumOfSquares(a, 0, a.length)).isEqualTo(1e12 + 64);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void scaleMultipliesOnlyTheRun(int n) {
        Random r = new Random(n + 1);
        float[] a = new float[n + 2];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        float[] before = a.clone();
        GradientKernels.scale(a, 1, n, 0.37f);
        assertThat(a[0]).isEqualTo(before[0]);
        assertThat(a[n + 1]).isEqualTo(before[n + 1]);
        for (int i = 1; i <= n; i++) assertThat(a[i]).isEqualTo(before[i] * 0.37f);
    }

    @Test
    void findsTheFirstNonFiniteValue() {
        float[] a = new float[40];
        assertThat(GradientKernels.indexOfNonFinite(a, 0, 40)).isEqualTo(-1);
        a[30] = Float.NaN;
        a[35] = Float.POSITIVE_INFINITY;
        assertThat(GradientKernels.indexOfNonFinite(a, 5, 35)).isEqualTo(25);
        assertThat(GradientKernels.indexOfNonFinite(a, 31, 9)).isEqualTo(4);
        assertThat(Double.isNaN(GradientKernels.sumOfSquares(a, 0, 40))).isTrue();
    }

    static IntStream nonFiniteSeeds() {
        return IntStream.range(0, 12);
    }

    /** Long runs go through the blocked vector scan; the first bad element must still be found exactly. */
    @ParameterizedTest
    @MethodSource("nonFiniteSeeds")
    void indexOfNonFiniteFindsTheFirstBadValueInLongRuns(int seed) {
        Random rng = new Random(seed);
        int n = 1 + rng.nextInt(5000);
        int off = rng.nextInt(9);
        float[] a = new float[off + n + 3];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian() * 1e30f;
        a[a.length - 1] = Float.NaN; // outside the run: must be ignored
        assertThat(GradientKernels.indexOfNonFinite(a, off, n)).isEqualTo(-1);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int first = rng.nextInt(n);
        a[off + first] = bad[seed % 3];
        if (first + 1 < n) a[off + first + 1 + rng.nextInt(n - first - 1)] = Float.NaN;
        assertThat(GradientKernels.indexOfNonFinite(a, off, n)).isEqualTo(first);
    }
}
