package ai.tarka.kernels.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LowRankTest {

    /** n, r, k/m with sizes that are not multiples of the vector width or of the kernels' 4-wide blocks. */
    static Stream<Arguments> shapes() {
        Random rng = new Random(4242);
        List<Arguments> out = new ArrayList<>();
        int[] ranks = {1, 3, 4, 7, 16, 17};
        int[] widths = {1, 5, 9, 15, 17, 33, 70, 131};
        for (int i = 0; i < 24; i++) {
            out.add(Arguments.of(1 + rng.nextInt(90), ranks[rng.nextInt(ranks.length)], widths[rng.nextInt(widths.length)],
                    rng.nextLong()));
        }
        return out.stream();
    }

    private static float[] random(Random rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (rng.nextGaussian());
        return x;
    }

    @ParameterizedTest(name = "n={0} r={1} k={2}")
    @MethodSource("shapes")
    void projectMatchesPlainLoops(int n, int r, int k, long seed) {
        Random rng = new Random(seed);
        int pOff = 3, qOff = 5, oOff = 2;
        float[] p = random(rng, pOff + n * k), q = random(rng, qOff + r * k), out = random(rng, oOff + n * r + 1);
        float guard = out[oOff + n * r];
        LowRank.project(p, pOff, n, k, q, qOff, r, -0.75f, out, oOff);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < r; j++) {
                double s = 0, mag = 0;
                for (int c = 0; c < k; c++) {
                    s += (double) p[pOff + i * k + c] * q[qOff + j * k + c];
                    mag += Math.abs((double) p[pOff + i * k + c] * q[qOff + j * k + c]);
                }
                assertThat((double) out[oOff + i * r + j]).as("out[%d,%d]", i, j).isCloseTo(-0.75 * s, org.assertj.core.data.Offset.offset(1e-5 * (1 + mag)));
            }
        }
        assertThat(out[oOff + n * r]).isEqualTo(guard);
    }

    @ParameterizedTest(name = "n={0} r={1} m={2}")
    @MethodSource("shapes")
    void expandIntoAddsToWhatIsThere(int n, int r, int m, long seed) {
        Random rng = new Random(seed);
        int cOff = 1, qOff = 4, oOff = 3;
        float[] cf = random(rng, cOff + n * r), q = random(rng, qOff + r * m), out = random(rng, oOff + n * m + 1);
        float[] before = out.clone();
        LowRank.expandInto(cf, cOff, n, r, q, qOff, m, 1.5f, out, oOff);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
                double s = before[oOff + i * m + c], mag = Math.abs(s);
                for (int j = 0; j < r; j++) {
                    double t = 1.5 * cf[cOff + i * r + j] * q[qOff + j * m + c];
                    s += t;
                    mag += Math.abs(t);
                }
                assertThat((double) out[oOff + i * m + c]).as("out[%d,%d]", i, c).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-5 * (1 + mag)));
            }
        }
        assertThat(out[oOff + n * m]).isEqualTo(before[oOff + n * m]);
        assertThat(out[0]).isEqualTo(before[0]);
    }

    @ParameterizedTest(name = "n={0} r={1} m={2}")
    @MethodSource("shapes")
    void outerSumsOuterProducts(int n, int r, int m, long seed) {
        Random rng = new Random(seed);
        int cOff = 2, pOff = 1, oOff = 6;
        float[] cf = random(rng, cOff + n * r), p = random(rng, pOff + n * m), out = random(rng, oOff + r * m + 1);
        float guard = out[oOff + r * m];
        LowRank.outer(cf, cOff, n, r, p, pOff, m, 0.5f, out, oOff);
        for (int j = 0; j < r; j++) {
            for (int c = 0; c < m; c++) {
                double s = 0, mag = 0;
                for (int i = 0; i < n; i++) {
                    double t = (double) cf[cOff + i * r + j] * p[pOff + i * m + c];
                    s += t;
                    mag += Math.abs(t);
                }
                assertThat((double) out[oOff + j * m + c]).as("out[%d,%d]", j, c).isCloseTo(0.5 * s, org.assertj.core.data.Offset.offset(1e-5 * (1 + mag)));
            }
        }
        assertThat(out[oOff + r * m]).isEqualTo(guard);
    }

    @Test
    void resultsDoNotDependOnTheCallOrSplit() {
        Random rng = new Random(9);
        int n = 301, r = 16, k = 515;
        float[] p = random(rng, n * k), q = random(rng, r * k);
        float[] a = new float[n * r], b = new float[n * r];
        LowRank.project(p, 0, n, k, q, 0, r, 1f, a, 0);
        LowRank.project(p, 0, n, k, q, 0, r, 1f, b, 0);
        assertThat(b).containsExactly(a);
        float[] g1 = new float[r * k], g2 = new float[r * k];
        LowRank.outer(a, 0, n, r, p, 0, k, 1f, g1, 0);
        LowRank.outer(b, 0, n, r, p, 0, k, 1f, g2, 0);
        assertThat(g2).containsExactly(g1);
    }

    @Test
    void tooShortOperandsAreRejectedWithTheirSizes() {
        assertThatThrownBy(() -> LowRank.project(new float[10], 0, 4, 3, new float[6], 0, 2, 1f, new float[8], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LowRank.project").hasMessageContaining("12 floats");
    }
}
