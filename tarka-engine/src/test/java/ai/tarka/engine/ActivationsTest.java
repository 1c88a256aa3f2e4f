package ai.tarka.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ActivationsTest {

    /** Small shapes (GradCheck is quadratic) whose last dimension is not a multiple of the vector width. */
    static List<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        Random rng = new Random(5);
        int[][] shapes = {{1}, {7}, {3, 9}, {2, 3, 5}, {4, 31}, {2, 65}};
        for (int[] s : shapes) out.add(Arguments.of(s, rng.nextLong()));
        return out;
    }

    private static Tensor leaf(Random rng, float std, int... shape) {
        return Tensor.randn(rng, std, shape).requiresGrad(true);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void geluSiluAndSwigluGradients(int[] shape, long seed) {
        Random rng = new Random(seed);
        GradCheck.defaults().check("gelu", t -> Activations.gelu(t[0]), leaf(rng, 2, shape));
        GradCheck.defaults().check("silu", t -> Activations.silu(t[0]), leaf(rng, 2, shape));
        GradCheck.defaults().check("swiglu", t -> Activations.swiglu(t[0], t[1]), leaf(rng, 2, shape), leaf(rng, 1, shape));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void softmaxAndLogSoftmaxGradientsOverEveryDim(int[] shape, long seed) {
        Random rng = new Random(seed);
        for (int d = -1; d >= -shape.length; d--) {
            int dim = d;
            GradCheck.defaults().check("softmax dim " + dim, t -> Activations.softmax(t[0], dim), leaf(rng, 2, shape));
            GradCheck.defaults().check("logSoftmax dim " + dim, t -> Activations.logSoftmax(t[0], dim), leaf(rng, 2, shape));
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void dropoutGradientWithAFixedSeed(int[] shape, long seed) {
        Random rng = new Random(seed);
        // a new generator with the same seed per call: every evaluation draws the same mask
        GradCheck.defaults().check("dropout", t -> Activations.dropout(t[0], 0.3f, true, new Random(seed)), leaf(rng, 1, shape));
    }

    @Test
    void knownValues() {
        Tensor x = Tensor.of(new float[] {-1f, 0f, 1f, 3f}, 4);
        // tanh-form GELU and σ-based SiLU evaluated in double precision
        assertThat(Activations.gelu(x).toArray()).containsExactly(
                new float[] {-0.15880801f, 0f, 0.8411920f, 2.9963627f}, within(1e-6f));
        assertThat(Activations.silu(x).toArray()).containsExactly(
                new float[] {-0.26894142f, 0f, 0.7310586f, 2.8577223f}, within(1e-6f));
        Tensor sm = Activations.softmax(Tensor.of(new float[] {0f, (float) Math.log(2), 0f, (float) Math.log(3)}, 2, 2), -1);
        assertThat(sm.toArray()).containsExactly(new float[] {1 / 3f, 2 / 3f, 1 / 4f, 3 / 4f}, within(1e-6f));
        Tensor ls = Activations.logSoftmax(Tensor.of(new float[] {5f, 5f, 5f}, 3), 0);
        assertThat(ls.toArray()).containsExactly(new float[] {(float) -Math.log(3), (float) -Math.log(3), (float) -Math.log(3)},
                within(1e-6f));
        Tensor sw = Activations.swiglu(x, Tensor.of(new float[] {2f, 2f, 2f, 2f}, 4));
        assertThat(sw.toArray()).containsExactly(new float[] {-0.53788284f, 0f, 1.4621172f, 5.7154446f}, within(1e-6f));
    }

    @Test
    void softmaxOverAMiddleDimMatchesAPlainLoop() {
        Random rng = new Random(9);
        Tensor x = Tensor.randn(rng, 3, 2, 5, 3);
        float[] y = Activations.softmax(x, 1).toArray();
        float[] ly = Activations.logSoftmax(x, 1).toArray();
        for (int a = 0; a < 2; a++) {
            for (int c = 0; c < 3; c++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int b = 0; b < 5; b++) max = Math.max(max, x.get(a, b, c));
                for (int b = 0; b < 5; b++) sum += Math.exp(x.get(a, b, c) - max);
                for (int b = 0; b < 5; b++) {
                    int i = (a * 5 + b) * 3 + c;
                    assertThat((double) y[i]).isCloseTo(Math.exp(x.get(a, b, c) - max) / sum, within(1e-6));
                    assertThat((double) ly[i]).isCloseTo(x.get(a, b, c) - max - Math.log(sum), within(1e-5));
                }
            }
        }
    }

    @Test
    void worksOnNonContiguousViewsAndKeepsGradientsFlowingThroughThem() {
        Random rng = new Random(3);
        Tensor base = Tensor.randn(rng, 1, 4, 6).requiresGrad(true);
        GradCheck.defaults().check("softmax of a transposed view", t -> Activations.softmax(t[0].t(), -1), base);
        GradCheck.defaults().check("gelu of a slice", t -> Activations.gelu(t[0].slice(1, 1, 5)), base);
        Tensor view = base.detach().t();
        assertThat(Activations.silu(view).toArray()).containsExactly(Activations.silu(view.contiguous()).toArray());
    }

    @Test
    void dropoutIsIdentityWhenNotTrainingAndScalesSurvivors() {
        Tensor x = Tensor.ones(10_000).requiresGrad(true);
        assertThat(Activations.dropout(x, 0.5f, false, new Random(1))).isSameAs(x);
        assertThat(Activations.dropout(x, 0f, true, new Random(1))).isSameAs(x);

        Tensor y = Activations.dropout(x, 0.25f, true, new Random(1));
        float[] v = y.toArray();
        int dropped = 0;
        for (float f : v) {
            if (f == 0f) dropped++;
            else assertThat(f).isEqualTo(1f / 0.75f);
        }
        // 10 000 Bernoulli(0.25) draws: standard deviation ≈ 43, so ±250 is far outside chance
        assertThat(dropped).isBetween(2250, 2750);
        y.backward(Tensor.ones(10_000));
        assertThat(x.grad().toArray()).containsExactly(v); // the same mask scales the gradient

        float[] again = Activations.dropout(x, 0.25f, true, new Random(1)).toArray();
        assertThat(again).containsExactly(v);
    }

    @Test
    void argumentErrorsNameTheOperationAndShapes() {
        Tensor x = Tensor.zeros(2, 3);
        for (float p : new float[] {-0.1f, 1f, 1.5f, Float.NaN}) {
            assertThatThrownBy(() -> Activations.dropout(x, p, true, new Random(1)))
                    .isInstanceOf(ShapeException.class).hasMessageContaining("dropout").hasMessageContaining("[2, 3]");
        }
        assertThatThrownBy(() -> Activations.swiglu(x, Tensor.zeros(3, 2)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("swiglu").hasMessageContaining("[3, 2]");
        assertThatThrownBy(() -> Activations.softmax(x, 2)).hasMessageContaining("softmax");
        assertThatThrownBy(() -> Activations.logSoftmax(Tensor.scalar(1f), 0)).hasMessageContaining("logSoftmax");
    }
}
