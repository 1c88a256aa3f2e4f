package ai.tarka.serve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The panel matmul against a plain triple loop, vector and scalar paths, on row counts that cross the 3-row tiles and
 * the row blocks and output counts that leave a partial last panel.
 */
class PanelMatmulTest {

    static Stream<Arguments> shapes() {
        Random r = new Random(9);
        return IntStream.range(0, 10).mapToObj(i -> Arguments.of(1 + r.nextInt(i < 8 ? 20 : 110), 1 + r.nextInt(77),
                1 + r.nextInt(203), r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesThePlainLoop(int n, int k, int m, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * k], w = new float[m * k];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        PanelWeights packed = PanelWeights.pack(w, m, k);
        for (boolean vector : new boolean[] {true, false}) {
            float[] out = new float[n * m + 3];
            out[n * m] = 7f;
            PanelMatmul.multiply(x, n, packed, out, vector);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) s += (double) x[i * k + q] * w[j * k + q];
                    assertThat(out[i * m + j]).as("row %d col %d vector %b", i, j, vector)
                            .isCloseTo((float) s, within(1e-4f * (float) Math.sqrt(k)));
                }
            }
            assertThat(out[n * m]).as("nothing written past the product").isEqualTo(7f);
        }
    }

    @Test
    void wrongSizesNameTheShapes() {
        PanelWeights w = PanelWeights.pack(new float[12], 4, 3);
        assertThatThrownBy(() -> PanelMatmul.multiply(new float[5], 2, w, new float[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x[2x3]").hasMessageContaining("W[4x3]");
        assertThatThrownBy(() -> PanelWeights.pack(new float[11], 4, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4x3");
    }
}
