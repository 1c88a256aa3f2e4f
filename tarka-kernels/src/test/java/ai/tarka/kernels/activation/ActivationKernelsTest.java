package ai.tarka.kernels.activation;

import static ai.tarka.kernels.ApproxArrays.assertClose;
import static ai.tarka.kernels.ApproxArrays.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Elementwise activation kernels (vector and scalar paths) against the double-precision definitions. */
class ActivationKernelsTest {

    /** Odd lengths around the vector width, plus one long enough to be split across threads. */
    static List<Arguments> lengths() {
        List<Arguments> out = new ArrayList<>();
        for (int n : new int[] {1, 7, 9, 31, 65, 1001, 40_003}) {
            out.add(Arguments.of(n, true));
            out.add(Arguments.of(n, false));
        }
        return out;
    }

    private static double[] map(float[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = f.applyAsDouble(x[i]);
        return y;
    }

    /** dinp0 + f'(x)·dout: backward kernels must add to what the gradient already holds. */
    private static double[] accumulated(float[] dinp0, float[] x, float[] dout, DoubleUnaryOperator grad) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = dinp0[i] + grad.applyAsDouble(x[i]) * dout[i];
        return y;
    }

    @ParameterizedTest(name = "n={0} vector={1}")
    @MethodSource("lengths")
    void geluForwardAndBackward(int n, boolean vector) {
        Random rng = new Random(1000 + n);
        float[] x = gaussian(rng, n, 3), dout = gaussian(rng, n, 1), dinp = gaussian(rng, n, 1);
        float[] dinp0 = dinp.clone(), out = new float[n];
        Gelu.forward(out, x, n, vector);
        assertClose("gelu", out, map(x, ActivationReference::gelu), 1e-5, 1e-6);
        Gelu.backward(dinp, x, dout, n, vector);
        assertClose("gelu backward", dinp, accumulated(dinp0, x, dout, ActivationReference::geluGrad), 1e-5, 1e-5);
    }

    @ParameterizedTest(name = "n={0} vector={1}")
    @MethodSource("lengths")
    void siluForwardAndBackward(int n, boolean vector) {
        Random rng = new Random(2000 + n);
        float[] x = gaussian(rng, n, 4), dout = gaussian(rng, n, 1), dinp = gaussian(rng, n, 1);
        float[] dinp0 = dinp.clone(), out = new float[n];
        Silu.forward(out, x, n, vector);
        assertClose("silu", out, map(x, ActivationReference::silu), 1e-5, 1e-6);
        Silu.backward(dinp, x, dout, n, vector);
        assertClose("silu backward", dinp, accumulated(dinp0, x, dout, ActivationReference::siluGrad), 1e-5, 1e-5);
    }

    @ParameterizedTest(name = "n={0} vector={1}")
    @MethodSource("lengths")
    void swigluForwardAndBothBackwardForms(int n, boolean vector) {
        Random rng = new Random(3000 + n);
        float[] g = gaussian(rng, n, 3), u = gaussian(rng, n, 2), dout = gaussian(rng, n, 1);
        float[] dg = gaussian(rng, n, 1), du = gaussian(rng, n, 1);
        float[] dg0 = dg.clone(), du0 = du.clone(), out = new float[n];
        SwiGlu.forward(out, g, u, n, vector);
        double[] expect = new double[n], expectDg = new double[n], expectDu = new double[n];
        for (int i = 0; i < n; i++) {
            expect[i] = ActivationReference.silu(g[i]) * u[i];
            expectDg[i] = dg0[i] + ActivationReference.siluGrad(g[i]) * u[i] * dout[i];
            expectDu[i] = du0[i] + ActivationReference.silu(g[i]) * dout[i];
        }
        assertClose("swiglu", out, expect, 1e-5, 1e-6);
        SwiGlu.backward(dg, du, g, u, dout, n, vector);
        assertClose("swiglu dgate", dg, expectDg, 1e-5, 1e-5);
        assertClose("swiglu dup", du, expectDu, 1e-5, 1e-5);

        // one gradient only (the other input needs none)
        float[] dgOnly = dg0.clone(), duOnly = du0.clone();
        SwiGlu.backward(dgOnly, null, g, u, dout, n, vector);
        SwiGlu.backward(null, duOnly, g, u, dout, n, vector);
        assertClose("swiglu dgate alone", dgOnly, expectDg, 1e-5, 1e-5);
        assertClose("swiglu dup alone", duOnly, expectDu, 1e-5, 1e-5);
    }

    @ParameterizedTest(name = "n={0} vector={1}")
    @MethodSource("lengths")
    void dropoutMultipliesByTheMask(int n, boolean vector) {
        Random rng = new Random(4000 + n);
        float[] x = gaussian(rng, n, 1), dout = gaussian(rng, n, 1), dinp = gaussian(rng, n, 1), mask = new float[n];
        for (int i = 0; i < n; i++) mask[i] = rng.nextFloat() < 0.3f ? 0f : 1f / 0.7f;
        float[] dinp0 = dinp.clone(), out = new float[n];
        Dropout.forward(out, x, mask, n, vector);
        double[] expect = new double[n], expectD = new double[n];
        for (int i = 0; i < n; i++) {
            expect[i] = (double) x[i] * mask[i];
            expectD[i] = dinp0[i] + (double) dout[i] * mask[i];
        }
        assertClose("dropout", out, expect, 1e-6, 0);
        Dropout.backward(dinp, dout, mask, n, vector);
        assertClose("dropout backward", dinp, expectD, 1e-6, 1e-6);
    }

    @Test
    void activationsBehaveAtExtremeInputs() {
        float[] x = {-1e4f, -200f, -90f, -20f, 0f, 20f, 90f, 200f, 1e4f};
        for (boolean vector : new boolean[] {true, false}) {
            float[] gelu = new float[x.length], silu = new float[x.length];
            Gelu.forward(gelu, x, x.length, vector);
            Silu.forward(silu, x, x.length, vector);
            for (int i = 0; i < x.length; i++) {
                assertThat(gelu[i]).as("gelu(%s)", x[i]).isCloseTo(x[i] > 0 ? x[i] : 0f, within(1e-6f));
                assertThat(silu[i]).as("silu(%s)", x[i]).isCloseTo(x[i] > 0 ? x[i] : 0f, within(1e-6f));
            }
            float[] dg = new float[x.length], ds = new float[x.length], ones = new float[x.length];
            java.util.Arrays.fill(ones, 1f);
            Gelu.backward(dg, x, ones, x.length, vector);
            Silu.backward(ds, x, ones, x.length, vector);
            for (int i = 0; i < x.length; i++) {
                assertThat(dg[i]).as("gelu'(%s)", x[i]).isFinite().isCloseTo(x[i] > 0 ? 1f : x[i] == 0 ? 0.5f : 0f, within(1e-6f));
                assertThat(ds[i]).as("silu'(%s)", x[i]).isFinite().isCloseTo(x[i] > 0 ? 1f : x[i] == 0 ? 0.5f : 0f, within(1e-6f));
            }
        }
    }
}
