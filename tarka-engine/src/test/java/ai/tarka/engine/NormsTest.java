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

class NormsTest {
    private static final float EPS = 1e-5f;

    /** [rows..., C] with C not a multiple of the vector width; at most ~100 elements per input. */
    static List<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        Random rng = new Random(21);
        int[][] shapes = {{1, 1}, {3, 7}, {2, 9}, {2, 2, 5}, {3, 31}, {1, 65}};
        for (int[] s : shapes) out.add(Arguments.of(s, rng.nextLong()));
        return out;
    }

    private static Tensor leaf(Random rng, float std, int... shape) {
        return Tensor.randn(rng, std, shape).requiresGrad(true);
    }

    /** Adds a constant so the rows have a non-zero mean (layer norm must remove it). */
    private static Tensor shiftedLeaf(Random rng, float shift, int... shape) {
        Tensor t = Tensor.randn(rng, 1, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] += shift;
        return t.requiresGrad(true);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void layerNormGradientsForInputWeightAndBias(int[] shape, long seed) {
        Random rng = new Random(seed);
        int c = shape[shape.length - 1];
        if (c == 1) {
            // one channel normalises every row to exactly 0: the output is flat in x
            Tensor x = leaf(rng, 1, shape);
            Norms.layerNorm(x, Tensor.ones(c), null, EPS).backward(Tensor.ones(shape));
            assertThat(x.grad().toArray()).containsOnly(0f);
            return;
        }
        GradCheck.defaults().check("layerNorm",
                t -> Norms.layerNorm(t[0], t[1], t[2], EPS), shiftedLeaf(rng, 2, shape), leaf(rng, 1, c), leaf(rng, 1, c));
        GradCheck.defaults().check("layerNorm without bias",
                t -> Norms.layerNorm(t[0], t[1], null, EPS), leaf(rng, 1, shape), leaf(rng, 1, c));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void rmsNormGradientsWithAndWithoutWeight(int[] shape, long seed) {
        Random rng = new Random(seed);
        int c = shape[shape.length - 1];
        GradCheck.defaults().check("rmsNorm", t -> Norms.rmsNorm(t[0], t[1], EPS), shiftedLeaf(rng, 0.5f, shape), leaf(rng, 1, c));
        GradCheck.defaults().check("rmsNorm without weight", t -> Norms.rmsNorm(t[0], null, EPS), shiftedLeaf(rng, 0.5f, shape));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void fusedResidualNormGradientsReachBothInputsThroughEitherOutput(int[] shape, long seed) {
        Random rng = new Random(seed);
        int c = shape[shape.length - 1];
        Tensor w = Tensor.randn(rng, 1, c); // the sum does not depend on the weight
        GradCheck.defaults().check("addRmsNorm normed",
                t -> Norms.addRmsNorm(t[0], t[1], t[2], EPS).normed(), leaf(rng, 1, shape), shiftedLeaf(rng, 0.5f, shape), leaf(rng, 1, c));
        GradCheck.defaults().check("addRmsNorm sum",
                t -> Norms.addRmsNorm(t[0], t[1], w, EPS).sum(), leaf(rng, 1, shape), leaf(rng, 1, shape));
        if (c > 1) {
            GradCheck.defaults().check("addLayerNorm normed",
                    t -> Norms.addLayerNorm(t[0], t[1], t[2], t[3], EPS).normed(),
                    leaf(rng, 1, shape), shiftedLeaf(rng, 1, shape), leaf(rng, 1, c), leaf(rng, 1, c));
        }
    }

    @Test
    void bothFusedOutputsFeedingTheLossAddTheirGradients() {
        Random rng = new Random(4);
        Tensor x = leaf(rng, 1, 3, 9), r = leaf(rng, 1, 3, 9), w = leaf(rng, 1, 9);
        Tensor gSum = Tensor.randn(rng, 1, 3, 9), gNormed = Tensor.randn(rng, 1, 3, 9);
        Norms.AddNorm fused = Norms.addRmsNorm(x, r, w, EPS);
        fused.normed().backward(gNormed);
        Norms.addRmsNorm(x, r, w, EPS).sum().backward(gSum);

        // unfused: the same sum as a leaf, normalised separately
        float[] s = new float[27];
        for (int i = 0; i < 27; i++) s[i] = x.data()[i] + r.data()[i];
        Tensor sum = Tensor.of(s, 3, 9).requiresGrad(true);
        Tensor w2 = Tensor.of(w.toArray(), 9).requiresGrad(true);
        Norms.rmsNorm(sum, w2, EPS).backward(gNormed);
        assertThat(fused.sum().toArray()).containsExactly(s);
        float[] expect = new float[27];
        for (int i = 0; i < 27; i++) expect[i] = sum.grad().toArray()[i] + gSum.toArray()[i];
        assertThat(x.grad().toArray()).containsExactly(expect, within(1e-5f));
        assertThat(r.grad().toArray()).containsExactly(expect, within(1e-5f));
        assertThat(w.grad().toArray()).containsExactly(w2.grad().toArray(), within(1e-5f));
    }

    @Test
    void layerNormRowsHaveZeroMeanUnitVarianceAndRmsNormRowsUnitRms() {
        Random rng = new Random(8);
        Tensor x = Tensor.randn(rng, 3, 4, 33);
        float[] ln = Norms.layerNorm(x, Tensor.ones(33), Tensor.zeros(33), 0f).toArray();
        float[] rms = Norms.rmsNorm(x, null, 0f).toArray();
        for (int r = 0; r < 4; r++) {
            double m = 0, v = 0, q = 0;
            for (int i = 0; i < 33; i++) m += ln[r * 33 + i] / 33.0;
            for (int i = 0; i < 33; i++) v += (ln[r * 33 + i] - m) * (ln[r * 33 + i] - m) / 33.0;
            for (int i = 0; i < 33; i++) q += rms[r * 33 + i] * (double) rms[r * 33 + i] / 33.0;
            assertThat(m).isCloseTo(0, within(1e-6));
            assertThat(v).isCloseTo(1, within(1e-5));
            assertThat(q).isCloseTo(1, within(1e-5));
        }
        // bias shifts, weight scales, per channel
        Tensor w = Tensor.randn(rng, 1, 33), b = Tensor.randn(rng, 1, 33);
        float[] affine = Norms.layerNorm(x, w, b, 0f).toArray();
        for (int i = 0; i < affine.length; i++) {
            assertThat(affine[i]).isCloseTo(ln[i] * w.data()[i % 33] + b.data()[i % 33], within(1e-5f));
        }
    }

    @Test
    void shapeErrorsNameTheOperationAndShapes() {
        Tensor x = Tensor.zeros(2, 5);
        assertThatThrownBy(() -> Norms.layerNorm(x, Tensor.ones(4), null, EPS))
                .isInstanceOf(ShapeException.class).hasMessageContaining("layerNorm").hasMessageContaining("[2, 5]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> Norms.layerNorm(x, Tensor.ones(5), Tensor.ones(1, 5), EPS))
                .isInstanceOf(ShapeException.class).hasMessageContaining("bias").hasMessageContaining("[1, 5]");
        assertThatThrownBy(() -> Norms.layerNorm(x, null, null, EPS)).hasMessageContaining("layerNorm");
        assertThatThrownBy(() -> Norms.rmsNorm(x, Tensor.ones(6), EPS)).hasMessageContaining("rmsNorm").hasMessageContaining("[6]");
        assertThatThrownBy(() -> Norms.rmsNorm(x, null, -1f)).hasMessageContaining("rmsNorm").hasMessageContaining("eps");
        assertThatThrownBy(() -> Norms.addRmsNorm(x, Tensor.zeros(5, 2), null, EPS))
                .hasMessageContaining("addRmsNorm").hasMessageContaining("[5, 2]");
        assertThatThrownBy(() -> Norms.rmsNorm(Tensor.scalar(1f), null, EPS)).hasMessageContaining("rmsNorm");
    }
}
