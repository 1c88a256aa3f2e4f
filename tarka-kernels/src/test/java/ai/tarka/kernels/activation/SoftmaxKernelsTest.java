package ai.tarka.kernels.activation;

import static ai.tarka.kernels.ApproxArrays.assertClose;
import static ai.tarka.kernels.ApproxArrays.gaussian;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Row softmax and log-softmax kernels against double-precision references. */
class SoftmaxKernelsTest {

    static List<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{1, 1}, {3, 1}, {2, 7}, {3, 9}, {1, 31}, {4, 65}, {2, 257}, {700, 65}};
        for (int[] s : shapes) {
            out.add(Arguments.of(s[0], s[1], true));
            out.add(Arguments.of(s[0], s[1], false));
        }
        return out;
    }

    @ParameterizedTest(name = "N={0} C={1} vector={2}")
    @MethodSource("shapes")
    void softmaxForwardAndBackward(int n, int c, boolean vector) {
        Random rng = new Random(31L * n + c);
        float[] x = gaussian(rng, n * c, 5), dout = gaussian(rng, n * c, 1), dinp = gaussian(rng, n * c, 1);
        float[] dinp0 = dinp.clone(), y = new float[n * c];
        Softmax.forward(y, x, n, c, vector);
        double[] ref = ActivationReference.softmax(x, n, c);
        assertClose("softmax", y, ref, 1e-5, 1e-7);
        Softmax.backward(dinp, y, dout, n, c, vector);
        double[] expect = ActivationReference.softmaxBackward(ref, dout, n, c);
        for (int i = 0; i < expect.length; i++) expect[i] += dinp0[i];
        assertClose("softmax backward", dinp, expect, 1e-4, 1e-6);
    }

    @ParameterizedTest(name = "N={0} C={1} vector={2}")
    @MethodSource("shapes")
    void logSoftmaxForwardAndBackward(int n, int c, boolean vector) {
        Random rng = new Random(37L * n + c);
        float[] x = gaussian(rng, n * c, 5), dout = gaussian(rng, n * c, 1), dinp = gaussian(rng, n * c, 1);
        float[] dinp0 = dinp.clone(), y = new float[n * c];
        LogSoftmax.forward(y, x, n, c, vector);
        double[] ref = ActivationReference.logSoftmax(x, n, c);
        // absolute tolerance: log-probabilities of order 10 carry float rounding of ~1e-6
        assertClose("logSoftmax", y, ref, 1e-5, 1e-5);
        LogSoftmax.backward(dinp, y, dout, n, c, vector);
        double[] expect = ActivationReference.logSoftmaxBackward(ref, dout, n, c);
        for (int i = 0; i < expect.length; i++) expect[i] += dinp0[i];
        assertClose("logSoftmax backward", dinp, expect, 1e-4, 1e-5);
    }

    @ParameterizedTest(name = "N={0} C={1} vector={2}")
    @MethodSource("shapes")
    void hugeLogitsAndMaskedEntriesStayFinite(int n, int c, boolean vector) {
        Random rng = new Random(41L * n + c);
        float[] x = gaussian(rng, n * c, 1000);
        for (int r = 0; r < n; r++) {
            if (c > 1) x[r * c + rng.nextInt(c)] = Float.NEGATIVE_INFINITY; // a masked position
        }
        float[] y = new float[n * c], logp = new float[n * c];
        Softmax.forward(y, x, n, c, vector);
        LogSoftmax.forward(logp, x, n, c, vector);
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int i = 0; i < c; i++) {
                float p = y[r * c + i];
                assertThat(p).isBetween(0f, 1f);
                if (x[r * c + i] == Float.NEGATIVE_INFINITY) {
                    assertThat(p).isEqualTo(0f);
                    assertThat(logp[r * c + i]).isEqualTo(Float.NEGATIVE_INFINITY);
                } else {
                    assertThat(logp[r * c + i]).isFinite().isLessThanOrEqualTo(0f);
                }
                sum += p;
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }
}
