package ai.tarka.kernels.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Q8Activations} and the integer Q8_0/Q4_0/NF4 kernels against the plain loops of {@link QuantReference}, on
 * odd block counts (not a multiple of the two-block or vector steps), odd row counts and batches above one.
 */
class Q8ActivationsTest {

    static Stream<Arguments> cases() {
        Random r = new Random(20261129L * 31);
        List<Arguments> out = new ArrayList<>();
        for (QuantFormat f : new QuantFormat[] {QuantFormat.Q8_0, QuantFormat.Q4_0, QuantFormat.NF4}) {
            for (int k = 0; k < 5; k++)
                out.add(Arguments.of(f, 1 + r.nextInt(37), f.blockSize() * (1 + r.nextInt(17)), 1 + r.nextInt(3), r.nextLong()));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void quantisedValuesAndScalesMatchThePlainLoop(QuantFormat f, int rows, int cols, int batch, long seed) {
        Random r = new Random(seed);
        int ldx = cols + 3;
        float[] x = new float[batch * ldx + 1];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * (i % 7 == 0 ? 10 : 1);
        java.util.Arrays.fill(x, 1, 33, 0f); // an all-zero block: scale 0, values 0
        Q8Activations xq = new Q8Activations();
        xq.quantize(x, 1, ldx, batch, cols);
        assertThat(xq.cols()).isEqualTo(cols);
        assertThat(xq.batch()).isEqualTo(batch);
        for (int v = 0; v < batch; v++) {
            float[] d = new float[cols / 32];
            int[] q = QuantReference.quantizeActivations(x, 1 + v * ldx, cols, d);
            for (int i = 0; i < cols; i++) {
                assertThat(xq.value(v, i)).as("value %d of vector %d", i, v).isEqualTo(q[i]);
                assertThat(Math.abs(q[i])).isLessThanOrEqualTo(127);
            }
            for (int b = 0; b < cols / 32; b++) {
                assertThat(xq.scale(v, b)).as("scale of block %d", b).isEqualTo(d[b]);
                int sum = 0;
                for (int j = 0; j < 32; j++) sum += q[b * 32 + j];
                assertThat(xq.blockSums()[v * (cols / 32) + b]).isEqualTo(d[b] * sum);
            }
        }
    }

    /**
     * The kernels against the double-precision sum of the same integers times the same scales. Tolerance:
     * 2e-6·Σ|w·x̂| + 1e-6 (float scaling and accumulation over at most 17 blocks; the block sums are exact integers).
     * Against the unquantised x the error is the activation rounding, at most half a step per element:
     * Σ|w|·d_x/2, checked too.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void integerMatmulMatchesThePlainLoop(QuantFormat f, int rows, int cols, int batch, long seed) {
        Random r = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.2f;
        float[] x = new float[batch * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        try (Arena arena = Arena.ofShared()) {
            QuantKernelsTest.Stored s = QuantKernelsTest.store(f, w, rows, cols, arena);
            Q8Activations xq = new Q8Activations();
            xq.quantize(x, 0, cols, batch, cols);
            float[] y = new float[1 + batch * (rows + 2)];
            QuantMatVec.matmul(f, s.data(), 0, s.scales(), rows, xq, y, 1, rows + 2);
            for (int v = 0; v < batch; v++) {
                float[] d = new float[cols / 32];
                int[] q = QuantReference.quantizeActivations(x, v * cols, cols, d);
                for (int row = 0; row < rows; row++) {
                    float[] ref = QuantReference.decodeRow(f, s.data(), row * f.rowBytes(cols), s.scales(), row, cols);
                    float[] kernelRow = f == QuantFormat.NF4
                            ? QuantReference.decodeNf4Int8Codebook(s.data(), row * f.rowBytes(cols), s.scales(), row, cols) : ref;
                    double exact = QuantReference.dotQuantised(kernelRow, q, d);
                    double abs = 0, rounding = 0;
                    for (int i = 0; i < cols; i++) {
                        abs += Math.abs((double) kernelRow[i] * q[i] * d[i / 32]);
                        rounding += Math.abs(ref[i]) * d[i / 32] * 0.5;
                        // NF4's codebook in int8 is off by at most half of 1/127 of the block's absmax
                        if (f == QuantFormat.NF4) rounding += Math.abs(ref[i] - kernelRow[i]) * Math.abs(q[i] * d[i / 32]);
                    }
                    double got = y[1 + v * (rows + 2) + row];
                    assertThat(got).as("%s row %d vector %d", f, row, v).isCloseTo(exact, Offset.offset(2e-6 * abs + 1e-6));
                    assertThat(got).as("%s row %d vector %d against float x", f, row, v)
                            .isCloseTo(QuantReference.dot(ref, x, v * cols), Offset.offset(rounding * 1.001 + 1e-5));
                    float[] one = new float[batch];
                    QuantMatVec.matmulRows(f, s.data(), 0, s.scales(), row, row + 1, xq, one, -row, 1);
                    assertThat(one[v]).as("the same row on its own").isEqualTo((float) got);
                }
            }
        }
    }

    @Test
    void wrongSizesNameTheOperation() {
        Q8Activations xq = new Q8Activations();
        assertThatThrownBy(() -> xq.quantize(new float[40], 0, 40, 1, 40))
                .hasMessageContaining("Q8Activations.quantize").hasMessageContaining("40");
        assertThatThrownBy(() -> xq.quantize(new float[40], 0, 64, 2, 32))
                .hasMessageContaining("x[40]");
        xq.quantize(new float[64], 0, 64, 1, 64);
        try (Arena arena = Arena.ofShared()) {
            var seg = arena.allocate(1000);
            assertThatThrownBy(() -> QuantMatVec.matmul(QuantFormat.F16, seg, 0, null, 2, xq, new float[2], 0, 2))
                    .hasMessageContaining("F16");
            assertThatThrownBy(() -> QuantMatVec.matmul(QuantFormat.NF4, seg, 0, null, 2, xq, new float[2], 0, 2))
                    .hasMessageContaining("NF4");
            assertThatThrownBy(() -> QuantMatVec.matmul(QuantFormat.Q8_0, seg, 0, null, 20, xq, new float[20], 0, 20))
                    .hasMessageContaining("QuantMatVec.matmul").hasMessageContaining("1360 bytes");
        }
    }
}
