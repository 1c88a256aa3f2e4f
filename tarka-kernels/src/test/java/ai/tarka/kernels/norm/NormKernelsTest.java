package ai.tarka.kernels.norm;

import static ai.tarka.kernels.ApproxArrays.assertClose;
import static ai.tarka.kernels.ApproxArrays.gaussian;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** LayerNorm and RMSNorm kernels (vector and scalar paths, fused residual add) against plain loops. */
class NormKernelsTest {
    private static final float EPS = 1e-5f;

    /** Odd row lengths; 300 rows of 65 is enough for several workers with private parameter gradients. */
    static List<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{1, 1}, {3, 7}, {2, 9}, {5, 31}, {4, 65}, {2, 130}, {300, 65}};
        for (int[] s : shapes) {
            out.add(Arguments.of(s[0], s[1], true));
            out.add(Arguments.of(s[0], s[1], false));
        }
        return out;
    }

    private static double[] plus(float[] base, double[] delta) {
        double[] out = new double[base.length];
        for (int i = 0; i < out.length; i++) out[i] = base[i] + delta[i];
        return out;
    }

    private static float[] shifted(Random rng, int n, double std, double shift) {
        float[] a = gaussian(rng, n, std);
        for (int i = 0; i < n; i++) a[i] += (float) shift;
        return a;
    }

    @ParameterizedTest(name = "N={0} C={1} vector={2}")
    @MethodSource("shapes")
    void layerNormForwardAndBackward(int n, int c, boolean vector) {
        Random rng = new Random(7L * n + c);
        float[] x = shifted(rng, n * c, 2, 3), w = gaussian(rng, c, 1), b = gaussian(rng, c, 1);
        float[] dout = gaussian(rng, n * c, 1);
        float[] dx = gaussian(rng, n * c, 1), dw = gaussian(rng, c, 1), db = gaussian(rng, c, 1);
        float[] dx0 = dx.clone(), dw0 = dw.clone(), db0 = db.clone();
        float[] y = new float[n * c], mean = new float[n], rstd = new float[n];
        LayerNorm.forward(y, mean, rstd, x, w, b, n, c, EPS, vector);
        NormReference.Result ref = NormReference.layerNorm(x, w, b, dout, n, c, EPS);
        assertClose("layerNorm", y, ref.y(), 1e-4, 1e-5);
        LayerNorm.backward(dx, dw, db, dout, x, w, mean, rstd, n, c, vector);
        assertClose("layerNorm dx", dx, plus(dx0, ref.dx()), 1e-3, 1e-4);
        assertClose("layerNorm dweight", dw, plus(dw0, ref.dw()), 1e-4, 1e-4);
        assertClose("layerNorm dbias", db, plus(db0, ref.db()), 1e-5, 1e-4);
    }

    @ParameterizedTest(name = "N={0} C={1} vector={2}")
    @MethodSource("shapes")
    void layerNormWithoutBiasAndPartialGradients(int n, int c, boolean vector) {
        Random rng = new Random(11L * n + c);
        float[] x = gaussian(rng, n * c, 1), w = gaussian(rng, c, 1), dout = gaussian(rng, n * c, 1);
        float[] y = new float[n * c], mean = new float[n], rstd = new float[n];
        LayerNorm.forward(y, mean, rstd, x, w, null, n, c, EPS, vector);
        NormReference.Result ref = NormReference.layerNorm(x, w, null, dout, n, c, EPS);
        assertClose("layerNorm no bias", y, ref.y(), 1e-4, 1e-5);
        float[] dw = new float[c], db = new float[c];
        LayerNorm.backward(null, dw, null, dout, x, w, mean, rstd, n, c, vector);
        LayerNorm.backward(null, null, db, dout, x, w, mean, rstd, n, c, vector);
        assertClose("layerNorm dweight only", dw, ref.dw(), 1e-4, 1e-4);
        assertClose("layerNorm dbias only", db, ref.db(), 1e-5, 1e-4);
        if (c > 1) {
            float[] dx = new float[n * c];
            LayerNorm.backward(dx, null, null, dout, x, w, mean, rstd, n, c, vector);
            assertClose("layerNorm dx only", dx, ref.dx(), 1e-3, 1e-4);
        }
    }

    @ParameterizedTest(name = "N={0} C={1} vector={2}")
    @MethodSource("shapes")
    void rmsNormForwardAndBackwardWithAndWithoutWeight(int n, int c, boolean vector) {
        Random rng = new Random(13L * n + c);
        float[] x = shifted(rng, n * c, 2, 1), w = gaussian(rng, c, 1), dout = gaussian(rng, n * c, 1);
        for (float[] weight : new float[][] {w, null}) {
            float[] dx = gaussian(rng, n * c, 1), dw = gaussian(rng, c, 1);
            float[] dx0 = dx.clone(), dw0 = dw.clone();
            float[] y = new float[n * c], rstd = new float[n];
            RmsNorm.forward(y, rstd, x, weight, n, c, EPS, vector);
            NormReference.Result ref = NormReference.rmsNorm(x, weight, dout, n, c, EPS);
            assertClose("rmsNorm", y, ref.y(), 1e-4, 1e-5);
            RmsNorm.backward(dx, dw, dout, x, weight, rstd, n, c, vector);
            assertClose("rmsNorm dx", dx, plus(dx0, ref.dx()), 1e-3, 1e-4);
            assertClose("rmsNorm dweight", dw, plus(dw0, ref.dw()), 1e-4, 1e-4);
        }
    }

    @ParameterizedTest(name = "N={0} C={1} vector={2}")
    @MethodSource("shapes")
    void fusedResidualAddEqualsAddThenNorm(int n, int c, boolean vector) {
        Random rng = new Random(17L * n + c);
        float[] x = gaussian(rng, n * c, 1), res = gaussian(rng, n * c, 2), w = gaussian(rng, c, 1), b = gaussian(rng, c, 1);
        float[] sum = new float[n * c];
        for (int i = 0; i < sum.length; i++) sum[i] = x[i] + res[i];

        float[] fusedSum = new float[n * c], y = new float[n * c], mean = new float[n], rstd = new float[n];
        LayerNorm.addForward(fusedSum, y, mean, rstd, x, res, w, b, n, c, EPS, vector);
        assertThat(fusedSum).containsExactly(sum);
        float[] yRef = new float[n * c], meanRef = new float[n], rstdRef = new float[n];
        LayerNorm.forward(yRef, meanRef, rstdRef, sum, w, b, n, c, EPS, vector);
        assertClose("addLayerNorm", y, yRef, 1e-5, 1e-5);
        assertClose("addLayerNorm rstd", rstd, rstdRef, 1e-5, 0);

        float[] rmsSum = new float[n * c], ry = new float[n * c], rr = new float[n];
        RmsNorm.addForward(rmsSum, ry, rr, x, res, w, n, c, EPS, vector);
        assertThat(rmsSum).containsExactly(sum);
        float[] ryRef = new float[n * c], rrRef = new float[n];
        RmsNorm.forward(ryRef, rrRef, sum, w, n, c, EPS, vector);
        assertClose("addRmsNorm", ry, ryRef, 1e-5, 1e-6);
    }

    @org.junit.jupiter.api.Test
    void parameterGradientsAreBitwiseRepeatable() {
        // enough rows for several workers, each summing into its own buffer before the ordered reduction
        int n = 600, c = 65;
        Random rng = new Random(5);
        float[] x = gaussian(rng, n * c, 1), w = gaussian(rng, c, 1), dout = gaussian(rng, n * c, 1);
        float[] y = new float[n * c], mean = new float[n], rstd = new float[n];
        LayerNorm.forward(y, mean, rstd, x, w, null, n, c, EPS);
        float[] first = null;
        for (int rep = 0; rep < 3; rep++) {
            float[] dw = new float[c];
            LayerNorm.backward(null, dw, null, dout, x, w, mean, rstd, n, c);
            if (first == null) first = dw;
            else assertThat(dw).containsExactly(first);
        }
        assertClose("layerNorm dweight over many rows", first, NormReference.layerNorm(x, w, null, dout, n, c, EPS).dw(), 1e-4, 1e-4);
    }
}
