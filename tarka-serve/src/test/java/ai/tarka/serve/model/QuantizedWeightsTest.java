package ai.tarka.serve.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.inference.WeightMatrix;
import ai.tarka.kernels.quant.QuantFormat;
import java.lang.foreign.Arena;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link QuantizedWeights} against a plain loop over the dequantised matrix, on both sides of the 16-row switch:
 * decode-sized steps (Q8 activations and integer kernels for Q8_0/Q4_0, float row dots otherwise) and prefill-sized
 * ones (dequantised tiles and SGEMM), on row counts that are not multiples of any block or vector width.
 */
class QuantizedWeightsTest {

    static Stream<Arguments> cases() {
        Random r = new Random(42);
        Stream.Builder<Arguments> b = Stream.builder();
        QuantFormat[] formats = {QuantFormat.Q8_0, QuantFormat.Q4_0, QuantFormat.F16, QuantFormat.F32};
        for (QuantFormat f : formats) {
            for (int n : new int[] {1, 3, 15, 16, 37}) {
                int rows = 1 + r.nextInt(90);
                int cols = f == QuantFormat.F16 || f == QuantFormat.F32 ? 1 + r.nextInt(100) : 32 * (1 + r.nextInt(4));
                b.add(Arguments.of(f, n, rows, cols, r.nextLong()));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} n={1} [{2}x{3}]")
    @MethodSource("cases")
    void multiplyMatchesAPlainLoopOverTheDecodedWeights(QuantFormat format, int n, int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        float[] x = new float[n * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        try (Arena arena = Arena.ofShared()) {
            WeightMatrix m = format == QuantFormat.F32 ? WeightMatrix.ofFloats("w", w, rows, cols)
                    : WeightMatrix.encode("w", w, rows, cols, format, arena);
            float[] dw = m.toFloats();
            QuantizedWeights q = new QuantizedWeights(m, new ai.tarka.inference.Projection(ai.tarka.kernels.ComputePool.shared().threads()));
            float[] out = new float[n * rows + 3];
            q.multiply(x, n, out);
            // Q8 activations round each input to 1/254 of its block's largest value: bound the error by Σ|x·w|
            boolean q8 = n < ai.tarka.inference.Projection.GEMM_MIN_ROWS && m.takesQ8Activations();
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < rows; o++) {
                    double s = 0, mag = 0;
                    for (int p = 0; p < cols; p++) {
                        s += (double) x[i * cols + p] * dw[o * cols + p];
                        mag += Math.abs((double) x[i * cols + p] * dw[o * cols + p]);
                    }
                    double tol = q8 ? 1e-2 * mag + 1e-4 : 1e-5 * mag + 1e-5;
                    assertThat((double) out[i * rows + o]).as("row %d output %d", i, o).isCloseTo(s, org.assertj.core.data.Offset.offset(tol));
                }
            }
            assertThat(out[n * rows]).as("nothing written past n rows").isZero();
            assertThat(q.heapBytes()).isEqualTo(format == QuantFormat.F32 ? 4L * rows * cols : 0);
        }
    }
}
