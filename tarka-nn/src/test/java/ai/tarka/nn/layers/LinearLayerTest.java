package ai.tarka.nn.layers;

import static ai.tarka.nn.layers.LayerReference.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.TestOps;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Needs the engine's matmul and broadcasting add: runs after the engine ops are merged. */
class LinearLayerTest {

    static Stream<Arguments> shapes() {
        Random r = new Random(17);
        return Stream.of(
                Arguments.of(new int[] {5}, 7, 3, true, r.nextLong()),
                Arguments.of(new int[] {2, 3}, 13, 9, true, r.nextLong()),
                Arguments.of(new int[] {3, 1, 5}, 17, 11, false, r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardMatchesHandComputationAndGradientsLandInTheFlatBuffer(int[] lead, int in, int out, boolean bias, long seed) {
        Random r = new Random(seed);
        Linear l = new Linear(in, out, bias, new SplittableRandom(seed));
        ParameterBuffer buf = ParameterBuffer.flatten(l);
        int n = 1;
        for (int d : lead) n *= d;
        int[] xShape = new int[lead.length + 1];
        System.arraycopy(lead, 0, xShape, 0, lead.length);
        xShape[lead.length] = in;
        float[] xv = gaussian(r, n * in);
        Tensor x = Tensor.of(xv.clone(), xShape).requiresGrad(true);
        Tensor y = l.forward(x);
        int[] yShape = xShape.clone();
        yShape[lead.length] = out;
        assertThat(y.shape()).containsExactly(yShape);
        float[] w = l.weight().tensor().toArray();
        float[] b = bias ? l.bias().tensor().toArray() : null;
        float[] want = LayerReference.linear(xv, w, b, n, in, out);
        float[] got = y.toArray();
        for (int i = 0; i < want.length; i++) assertThat(got[i]).as("y[%d]", i).isCloseTo(want[i], offset(1e-5f));

        float[] seedGrad = gaussian(r, n * out);
        TestOps.dot(y, seedGrad).backward();
        // dW[o][i] = Σ_r g[r][o]·x[r][i], db[o] = Σ_r g[r][o], dx[r][i] = Σ_o g[r][o]·W[o][i]
        ParameterBuffer.Slot ws = buf.slot("weight");
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int row = 0; row < n; row++) s += (double) seedGrad[row * out + o] * xv[row * in + i];
                assertThat(buf.grads()[ws.offset() + o * in + i]).isCloseTo((float) s, offset(1e-4f));
            }
        }
        if (bias) {
            ParameterBuffer.Slot bs = buf.slot("bias");
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int row = 0; row < n; row++) s += seedGrad[row * out + o];
                assertThat(buf.grads()[bs.offset() + o]).isCloseTo((float) s, offset(1e-4f));
            }
        }
        float[] dx = x.grad().toArray();
        for (int row = 0; row < n; row++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int o = 0; o < out; o++) s += (double) seedGrad[row * out + o] * w[o * in + i];
                assertThat(dx[row * in + i]).isCloseTo((float) s, offset(1e-4f));
            }
        }
    }
}
