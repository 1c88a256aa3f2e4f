package ai.tarka.serve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The skinny decode matmul against a plain triple loop, vector and scalar paths. */
class SkinnyMatmulTest {

    static Stream<Arguments> shapes() {
        Random r = new Random(9);
        return IntStream.range(0, 8).mapToObj(i -> Arguments.of(1 + r.nextInt(SkinnyMatmul.MAX_ROWS), 1 + r.nextInt(77),
                1 + r.nextInt(203), r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesThePlainLoop(int n, int k, int m, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * k], w = new float[m * k];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (boolean vector : new boolean[] {true, false}) {
            float[] out = new float[n * m];
            SkinnyMatmul.multiply(x, n, k, w, m, out, vector);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) s += (double) x[i * k + q] * w[j * k + q];
                    assertThat(out[i * m + j]).isCloseTo((float) s, within(1e-4f * (float) Math.sqrt(k)));
                }
            }
        }
    }
}
