package ai.tarka.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocked attention loops over a head's cached rows must give exactly what one {@link Dots#dot} per row (scores)
 * and one {@link Dots#axpy} per row onto zeros (the value mix) give: decoding stays bit-for-bit what it was.
 */
class DotsTest {

    static Stream<Arguments> shapes() {
        SplittableRandom r = new SplittableRandom(2026);
        int[] dims = {1, 3, 8, 16, 24, 32, 40, 64, 72, 128};
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = dims[r.nextInt(dims.length)];
            int stride = n * (1 + r.nextInt(3)) + r.nextInt(5);
            out.add(Arguments.of(n, stride, r.nextInt(0, 23), r.nextInt(0, 7), r.nextLong()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "n={0} stride={1} rows={2} first={3}")
    @MethodSource("shapes")
    void blockedLoopsEqualTheRowByRowOnes(int n, int stride, int rows, int first, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] m = random(r, (first + rows) * stride + n + 3);
        float[] q = random(r, n + 5);
        float[] w = random(r, rows + 1);
        int r0 = first * stride + 1, qo = 2;
        float scale = 0.125f;

        float[] expected = new float[rows], actual = new float[rows];
        for (int j = 0; j < rows; j++) expected[j] = scale * Dots.dot(q, qo, m, r0 + j * stride, n);
        Dots.rowDots(q, qo, m, r0, stride, rows, n, scale, actual);
        assertThat(actual).containsExactly(expected);

        float[] mixExpected = new float[n + 4], mixActual = random(r, n + 4); // garbage in the output is overwritten
        for (int j = 0; j < rows; j++) Dots.axpy(w[j], m, r0 + j * stride, mixExpected, 3, n);
        Dots.weightedRowSum(w, m, r0, stride, rows, n, mixActual, 3);
        for (int c = 0; c < n; c++) assertThat(mixActual[3 + c]).as("element %d", c).isEqualTo(mixExpected[3 + c]);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
