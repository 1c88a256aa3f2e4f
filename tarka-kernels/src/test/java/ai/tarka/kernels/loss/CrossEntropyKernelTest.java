package ai.tarka.kernels.loss;

import static ai.tarka.kernels.ApproxArrays.assertClose;
import static ai.tarka.kernels.ApproxArrays.gaussian;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fused softmax cross-entropy against a plain double-precision loop. */
class CrossEntropyKernelTest {
    private static final int IGNORE = -100;

    static List<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{1, 1}, {3, 2}, {4, 7}, {5, 9}, {3, 31}, {6, 65}, {2, 1001}, {40, 1031}};
        for (int[] s : shapes) {
            out.add(Arguments.of(s[0], s[1], true));
            out.add(Arguments.of(s[0], s[1], false));
        }
        return out;
    }

    /** Reference per-row losses and the gradient of Σ scale·loss. */
    private static double[][] reference(float[] logits, int[] targets, int n, int v, double scale) {
        double[] losses = new double[n], grad = new double[n * v];
        for (int r = 0; r < n; r++) {
            if (targets[r] == IGNORE) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < v; i++) max = Math.max(max, logits[r * v + i]);
            double sum = 0;
            for (int i = 0; i < v; i++) sum += Math.exp(logits[r * v + i] - max);
            double lse = max + Math.log(sum);
            losses[r] = lse - logits[r * v + targets[r]];
            for (int i = 0; i < v; i++) {
                grad[r * v + i] = scale * (Math.exp(logits[r * v + i] - lse) - (i == targets[r] ? 1 : 0));
            }
        }
        return new double[][] {losses, grad};
    }

    @ParameterizedTest(name = "N={0} V={1} vector={2}")
    @MethodSource("shapes")
    void lossAndGradientMatchReferenceWithIgnoredRows(int n, int v, boolean vector) {
        Random rng = new Random(97L * n + v);
        float[] logits = gaussian(rng, n * v, 4);
        int[] targets = new int[n];
        for (int r = 0; r < n; r++) targets[r] = r % 3 == 1 ? IGNORE : rng.nextInt(v);
        float scale = 0.37f;
        double[][] ref = reference(logits, targets, n, v, scale);

        float[] losses = new float[n], lse = new float[n];
        CrossEntropy.forward(losses, lse, logits, targets, IGNORE, n, v, vector);
        // losses up to ~20 carry float rounding of lse (a few 1e-6 absolute)
        assertClose("crossEntropy losses", losses, ref[0], 1e-5, 1e-5);

        float[] grad = gaussian(rng, n * v, 1), grad0 = grad.clone();
        CrossEntropy.backward(grad, logits, lse, targets, IGNORE, scale, n, v, vector);
        double[] expect = ref[1].clone();
        for (int i = 0; i < expect.length; i++) expect[i] += grad0[i];
        assertClose("crossEntropy gradient", grad, expect, 1e-4, 1e-6);
        for (int r = 0; r < n; r++) {
            if (targets[r] != IGNORE) continue;
            for (int i = 0; i < v; i++) assertThat(grad[r * v + i]).isEqualTo(grad0[r * v + i]);
        }
    }

    @Test
    void uniformLogitsGiveLogV() {
        for (int v : new int[] {1, 2, 9, 50_257}) {
            float[] logits = new float[2 * v];
            java.util.Arrays.fill(logits, 3.5f);
            float[] losses = new float[2], lse = new float[2];
            CrossEntropy.forward(losses, lse, logits, new int[] {0, v - 1}, IGNORE, 2, v);
            assertThat((double) losses[0]).isCloseTo(Math.log(v), org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.log(v))));
            assertThat(losses[1]).isEqualTo(losses[0]);
        }
    }

    @Test
    void largeLogitsDoNotOverflow() {
        float[] logits = {1000f, -1000f, 999f};
        float[] losses = new float[1], lse = new float[1];
        CrossEntropy.forward(losses, lse, logits, new int[] {2}, IGNORE, 1, 3);
        assertThat((double) losses[0]).isCloseTo(1 + Math.log1p(Math.exp(-1)), org.assertj.core.data.Offset.offset(1e-4));
    }
}
