package ai.tarka.kernels.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SgdKernelTest {

    static Stream<Arguments> cases() {
        Random r = new Random(7);
        return Stream.of(
                Arguments.of(13, 0.0, 0.0, false, 0.0, r.nextLong()),
                Arguments.of(29, 0.9, 0.0, false, 0.0, r.nextLong()),
                Arguments.of(101, 0.9, 0.0, true, 0.01, r.nextLong()),
                Arguments.of(7, 0.5, 0.3, false, 0.05, r.nextLong()),
                Arguments.of(259, 0.8, 0.1, false, 0.0, r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesDoubleReferenceOverSeveralSteps(int n, double mu, double damp, boolean nesterov, double wd, long seed) {
        Random r = new Random(seed);
        double lr = 0.05;
        int off = 2;
        float[] p = new float[off + n], g = new float[off + n], b = new float[n + 1];
        double[] rp = new double[n], rg = new double[n], rb = new double[n];
        for (int i = 0; i < n; i++) rp[i] = p[off + i] = (float) r.nextGaussian();
        for (int step = 1; step <= 4; step++) {
            for (int i = 0; i < n; i++) rg[i] = g[off + i] = (float) r.nextGaussian();
            if (mu == 0) {
                SgdKernel.update(p, off, g, off, n, (float) lr, (float) wd);
            } else {
                SgdKernel.updateMomentum(p, off, g, off, b, 1, n, (float) lr, (float) wd, (float) mu, (float) damp, nesterov, step == 1);
            }
            OptimReference.sgd(rp, rg, rb, lr, wd, mu, damp, nesterov, step == 1);
        }
        for (int i = 0; i < n; i++) {
            assertThat((double) p[off + i]).as("p[%d]", i).isCloseTo(rp[i], offset(2e-6));
            if (mu != 0) assertThat((double) b[1 + i]).as("buf[%d]", i).isCloseTo(rb[i], offset(2e-6));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void vectorAndScalarPathsAreBitIdentical(int n, double mu, double damp, boolean nesterov, double wd, long seed) {
        Random r = new Random(seed);
        float[] p1 = new float[n], g = new float[n], b1 = new float[n];
        for (int i = 0; i < n; i++) {
            p1[i] = (float) r.nextGaussian();
            g[i] = (float) r.nextGaussian();
            b1[i] = (float) r.nextGaussian();
        }
        float[] p2 = p1.clone(), b2 = b1.clone();
        SgdKernel.updateMomentum(p1, 0, g, 0, b1, 0, n, 0.1f, (float) wd, 0.9f, (float) damp, nesterov, false);
        SgdKernel.updateMomentumScalar(p2, 0, g, 0, b2, 0, n, 0.1f, (float) wd, 0.9f, (float) damp, nesterov, false);
        assertThat(p1).containsExactly(p2);
        assertThat(b1).containsExactly(b2);
        float[] q1 = p1.clone(), q2 = p1.clone();
        SgdKernel.update(q1, 0, g, 0, n, 0.1f, (float) wd);
        SgdKernel.updateScalar(q2, 0, g, 0, n, 0.1f, (float) wd);
        assertThat(q1).containsExactly(q2);
    }
}
