package ai.tarka.nn.layers;

import static ai.tarka.nn.layers.LayerReference.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.TestOps;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Needs {@code Norms.layerNorm/rmsNorm}: runs after the engine ops are merged. */
class NormLayerTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33})
    void layerNormForwardMatchesHandComputationAndFeedsTheFlatBuffer(int c) {
        Random r = new Random(c);
        LayerNorm ln = new LayerNorm(c, 1e-5f);
        ParameterBuffer buf = ParameterBuffer.flatten(ln);
        System.arraycopy(gaussian(r, 2 * c), 0, buf.values(), 0, 2 * c);
        int n = 6;
        float[] xv = gaussian(r, n * c);
        Tensor y = ln.forward(Tensor.of(xv.clone(), 2, 3, c));
        float[] w = ln.weight().tensor().toArray(), b = ln.bias().tensor().toArray();
        float[] want = LayerReference.layerNorm(xv, w, b, n, c, 1e-5f);
        float[] got = y.toArray();
        for (int i = 0; i < want.length; i++) assertThat(got[i]).isCloseTo(want[i], offset(1e-4f));

        float[] g = gaussian(r, n * c);
        TestOps.dot(y, g).backward();
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
        float[] xhat = LayerReference.layerNorm(xv, ones, new float[c], n, c, 1e-5f);
        for (int i = 0; i < c; i++) {
            double dw = 0, db = 0;
            for (int row = 0; row < n; row++) {
                dw += (double) g[row * c + i] * xhat[row * c + i];
                db += g[row * c + i];
            }
            assertThat(buf.grads()[i]).as("dweight[%d]", i).isCloseTo((float) dw, offset(1e-4f));
            assertThat(buf.grads()[c + i]).as("dbias[%d]", i).isCloseTo((float) db, offset(1e-4f));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 9, 40})
    void rmsNormForwardMatchesHandComputationAndFeedsTheFlatBuffer(int c) {
        Random r = new Random(c + 100);
        RMSNorm norm = new RMSNorm(c, 1e-6f);
        ParameterBuffer buf = ParameterBuffer.flatten(norm);
        System.arraycopy(gaussian(r, c), 0, buf.values(), 0, c);
        int n = 5;
        float[] xv = gaussian(r, n * c);
        Tensor y = norm.forward(Tensor.of(xv.clone(), n, c));
        float[] want = LayerReference.rmsNorm(xv, norm.weight().tensor().toArray(), n, c, 1e-6f);
        float[] got = y.toArray();
        for (int i = 0; i < want.length; i++) assertThat(got[i]).isCloseTo(want[i], offset(1e-4f));

        float[] g = gaussian(r, n * c);
        TestOps.dot(y, g).backward();
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
        float[] xhat = LayerReference.rmsNorm(xv, ones, n, c, 1e-6f);
        for (int i = 0; i < c; i++) {
            double dw = 0;
            for (int row = 0; row < n; row++) dw += (double) g[row * c + i] * xhat[row * c + i];
            assertThat(buf.grads()[i]).as("dweight[%d]", i).isCloseTo((float) dw, offset(1e-4f));
        }
    }
}
