package ai.tarka.kernels.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdamWKernelTest {

    static Stream<Arguments> cases() {
        Random r = new Random(41);
        return Stream.of(1, 3, 7, 9, 17, 31, 100, 257, 1001)
                .map(n -> Arguments.of(n, r.nextInt(5), r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesDoubleReferenceOverSeveralSteps(int n, int off, long seed) {
        Random r = new Random(seed);
        double lr = 1e-2, b1 = 0.9, b2 = 0.95, eps = 1e-8, wd = 0.1;
        float[] p = new float[off + n], g = new float[off + n], m = new float[off + n + 3], v = new float[off + n + 3];
        double[] rp = new double[n], rg = new double[n], rm = new double[n], rv = new double[n];
        for (int i = 0; i < n; i++) rp[i] = p[off + i] = (float) r.nextGaussian();
        for (int step = 1; step <= 5; step++) {
            for (int i = 0; i < n; i++) rg[i] = g[off + i] = (float) r.nextGaussian();
            double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
            AdamWKernel.update(p, off, g, off, m, v, 3, n, (float) b1, (float) b2, (float) eps,
                    (float) (lr / bc1), (float) (1 / Math.sqrt(bc2)), (float) (1 - lr * wd));
            OptimReference.adamW(rp, rg, rm, rv, lr, b1, b2, eps, wd, step);
        }
        for (int i = 0; i < n; i++) {
            assertThat((double) p[off + i]).as("p[%d]", i).isCloseTo(rp[i], org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) m[3 + i]).as("m[%d]", i).isCloseTo(rm[i], org.assertj.core.data.Offset.offset(1e-6));
            assertThat((double) v[3 + i]).as("v[%d]", i).isCloseTo(rv[i], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void vectorAndScalarPathsAreBitIdentical(int n, int off, long seed) {
        Random r = new Random(seed);
        float[] p1 = new float[off + n], g = new float[off + n], m1 = new float[n], v1 = new float[n];
        for (int i = 0; i < off + n; i++) {
            p1[i] = (float) r.nextGaussian();
            g[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            m1[i] = (float) r.nextGaussian() * 0.1f;
            v1[i] = r.nextFloat() * 0.01f;
        }
        float[] p2 = p1.clone(), m2 = m1.clone(), v2 = v1.clone();
        AdamWKernel.update(p1, off, g, off, m1, v1, 0, n, 0.9f, 0.999f, 1e-8f, 3e-3f, 1.7f, 0.999f);
        AdamWKernel.updateScalar(p2, off, g, off, m2, v2, 0, n, 0.9f, 0.999f, 1e-8f, 3e-3f, 1.7f, 0.999f);
        assertThat(p1).containsExactly(p2);
        assertThat(m1).containsExactly(m2);
        assertThat(v1).containsExactly(v2);
    }

    @org.junit.jupiter.api.Test
    void rejectsRunsOutsideTheArrays() {
        float[] a = new float[10];
        assertThatThrownBy(() -> AdamWKernel.update(a, 5, a, 0, a, a, 0, 6, 0.9f, 0.9f, 1e-8f, 1f, 1f, 1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AdamWKernel.update");
    }
}
