package ai.tarka.kernels.elementwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReduceKernelsTest {

    static Stream<Object[]> shapes() {
        List<Object[]> out = new ArrayList<>();
        Random rng = new Random(11);
        out.add(new Object[] {new int[] {1}, 1L});
        out.add(new Object[] {new int[] {37}, 2L});
        out.add(new Object[] {new int[] {5, 1, 3}, 3L});
        out.add(new Object[] {new int[] {300, 301}, 4L}); // big enough to run in parallel chunks
        for (int i = 0; i < 8; i++) {
            int r = 1 + rng.nextInt(4);
            int[] s = new int[r];
            for (int d = 0; d < r; d++) s[d] = 1 + rng.nextInt(d == r - 1 ? 23 : 6);
            out.add(new Object[] {s, rng.nextLong()});
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void sumOverEverySubsetOfDimensionsMatchesReference(int[] shape, long seed) {
        Random rng = new Random(seed);
        int r = shape.length, n = 1;
        for (int s : shape) n *= s;
        // contiguous, and a layout with the last two dimensions transposed in storage
        for (boolean transposed : new boolean[] {false, true}) {
            int[] st = new int[r];
            int acc = 1;
            for (int d = r - 1; d >= 0; d--) {
                int dd = transposed && r >= 2 && d >= r - 2 ? (d == r - 1 ? r - 2 : r - 1) : d;
                st[dd] = acc;
                acc *= shape[dd];
            }
            float[] x = new float[n + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            for (int mask = 0; mask < (1 << r); mask++) {
                boolean[] red = new boolean[r];
                int nOut = 1;
                for (int d = 0; d < r; d++) {
                    red[d] = (mask & (1 << d)) != 0;
                    if (!red[d]) nOut *= shape[d];
                }
                float[] out = new float[nOut];
                StridedReduce.sum(shape, x, 3, st, red, out, 0);
                float[] ref = ReferenceKernels.sumDims(shape, x, 3, st, red);
                int reduced = n / nOut;
                float tol = 4e-5f * (float) Math.sqrt(reduced) + 1e-6f;
                for (int i = 0; i < nOut; i++) {
                    if (Math.abs(out[i] - ref[i]) > tol) {
                        assertThat(out[i]).as("mask %d transposed %s at %d", mask, transposed, i).isCloseTo(ref[i], within(tol));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void maxAlongMatchesReferenceIncludingTiesAndNaN(int[] shape, long seed) {
        Random rng = new Random(seed);
        int r = shape.length;
        int n = 1;
        for (int s : shape) n *= s;
        float[] x = new float[n + 2];
        // few distinct values so ties are common
        for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(4) - 1.5f;
        if (n > 10) x[2 + rng.nextInt(n)] = Float.NaN;
        for (int d = 0; d < r; d++) {
            int outer = 1, inner = 1;
            for (int i = 0; i < d; i++) outer *= shape[i];
            for (int i = d + 1; i < r; i++) inner *= shape[i];
            float[] val = new float[outer * inner], refVal = new float[outer * inner];
            int[] idx = new int[outer * inner], refIdx = new int[outer * inner];
            StridedReduce.maxAlong(x, 2, outer, shape[d], inner, val, idx);
            ReferenceKernels.maxAlong(x, 2, outer, shape[d], inner, refVal, refIdx);
            ReferenceKernels.assertSameFloats(val, refVal, "values along " + d);
            assertThat(java.util.Arrays.mismatch(idx, refIdx)).as("first wrong position along %d", d).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void primitivesOnOddRuns(int[] shape, long seed) {
        Random rng = new Random(seed);
        int n = 1;
        for (int s : shape) n *= s;
        float[] x = new float[n + 1];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        double ref = 0;
        float refMax = Float.NEGATIVE_INFINITY;
        for (int i = 1; i <= n; i++) {
            ref += x[i];
            refMax = Math.max(refMax, x[i]);
        }
        assertThat((double) ReduceKernels.sum(x, 1, n)).isCloseTo(ref, within(1e-5 * Math.sqrt(n) + 1e-6));
        assertThat(ReduceKernels.max(x, 1, n)).isEqualTo(refMax);
        int at = ReduceKernels.indexOf(x, 1, n, refMax);
        assertThat(x[1 + at]).isEqualTo(refMax);
        int firstEqual = 1;
        while (x[firstEqual] != refMax) firstEqual++;
        assertThat(at).isEqualTo(firstEqual - 1);
        float[] acc = new float[n + 2];
        for (int i = 0; i < acc.length; i++) acc[i] = i;
        ReduceKernels.addInto(acc, 1, x, 1, n);
        assertThat(acc[0]).isZero();
        assertThat(acc[n + 1]).isEqualTo(n + 1);
        float[] expect = new float[n];
        for (int i = 1; i <= n; i++) expect[i - 1] = i + x[i];
        ReferenceKernels.assertSameFloats(java.util.Arrays.copyOfRange(acc, 1, n + 1), expect, "addInto");
    }
}
