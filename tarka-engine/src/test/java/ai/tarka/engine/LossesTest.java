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

class LossesTest {
    private static final int IGNORE = -100;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Random rng = new Random(33);
        int[][] shapes = {{1, 1}, {4, 7}, {3, 9}, {2, 3, 5}, {5, 31}, {2, 65}};
        for (int[] s : shapes) {
            for (Reduction red : Reduction.values()) out.add(Arguments.of(s, red, rng.nextLong()));
        }
        return out;
    }

    private static int[] targets(Random rng, int rows, int v, boolean withIgnored) {
        int[] t = new int[rows];
        for (int r = 0; r < rows; r++) t[r] = withIgnored && r % 3 == 1 ? IGNORE : rng.nextInt(v);
        return t;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientWithIgnoredRows(int[] shape, Reduction reduction, long seed) {
        Random rng = new Random(seed);
        int v = shape[shape.length - 1];
        int rows = Tensor.zeros(shape).numel() / v;
        int[] t = targets(rng, rows, v, true);
        Tensor logits = Tensor.randn(rng, 2, shape).requiresGrad(true);
        GradCheck.defaults().check("crossEntropy " + reduction, x -> Losses.crossEntropy(x[0], t, IGNORE, reduction), logits);
        for (int r = 0; r < rows; r++) {
            if (t[r] != IGNORE) continue;
            for (int i = 0; i < v; i++) assertThat(logits.grad().toArray()[r * v + i]).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void valueMatchesAPlainLoop(int[] shape, Reduction reduction, long seed) {
        Random rng = new Random(seed ^ 77);
        int v = shape[shape.length - 1];
        int rows = Tensor.zeros(shape).numel() / v;
        int[] t = targets(rng, rows, v, true);
        Tensor logits = Tensor.randn(rng, 3, shape);
        double total = 0;
        int counted = 0;
        float[] x = logits.toArray();
        for (int r = 0; r < rows; r++) {
            if (t[r] == IGNORE) continue;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < v; i++) max = Math.max(max, x[r * v + i]);
            for (int i = 0; i < v; i++) sum += Math.exp(x[r * v + i] - max);
            total += max + Math.log(sum) - x[r * v + t[r]];
            counted++;
        }
        double expect = reduction == Reduction.SUM ? total : total / counted;
        assertThat((double) Losses.crossEntropy(logits, t, IGNORE, reduction).item()).isCloseTo(expect, within(1e-5 * Math.max(1, expect)));
    }

    @Test
    void uniformLogitsGiveLnVAndSumIsMeanTimesCount() {
        for (int v : new int[] {2, 7, 1000}) {
            Tensor logits = Tensor.full(0.25f, 6, v);
            int[] t = {0, 1, IGNORE, v - 1, 1, IGNORE};
            Tensor mean = Losses.crossEntropy(logits, t, IGNORE);
            assertThat(mean.shape()).isEmpty();
            assertThat((double) mean.item()).isCloseTo(Math.log(v), within(1e-5 * Math.log(v)));
            assertThat((double) Losses.crossEntropy(logits, t, IGNORE, Reduction.SUM).item())
                    .isCloseTo(4 * Math.log(v), within(4e-5 * Math.log(v)));
        }
    }

    @Test
    void gradientIsSoftmaxMinusOneHotScaledByTheCountedRows() {
        Tensor logits = Tensor.of(new float[] {0f, (float) Math.log(3), 1f, 1f, 2f, 2f}, 3, 2).requiresGrad(true);
        Losses.crossEntropy(logits, new int[] {1, IGNORE, 0}, IGNORE).backward();
        // row 0: softmax (1/4, 3/4), target 1; row 2: (1/2, 1/2), target 0; mean over 2 rows
        assertThat(logits.grad().toArray()).containsExactly(new float[] {0.125f, -0.125f, 0f, 0f, -0.25f, 0.25f}, within(1e-6f));
    }

    @Test
    void allRowsIgnoredGivesZeroLossAndZeroGradient() {
        Tensor logits = Tensor.randn(new Random(2), 1, 3, 5).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(logits, new int[] {IGNORE, IGNORE, IGNORE}, IGNORE);
        assertThat(loss.item()).isZero();
        loss.backward();
        assertThat(logits.grad().toArray()).containsOnly(0f);
        assertThat(Losses.crossEntropy(logits, new int[] {IGNORE, IGNORE, IGNORE}, IGNORE, Reduction.SUM).item()).isZero();
    }

    @Test
    void extremeLogitsStayFiniteAndNonFiniteLogitsThrow() {
        Tensor big = Tensor.of(new float[] {1e30f, -1e30f, 0f, 5e29f}, 2, 2);
        assertThat(Losses.crossEntropy(big, new int[] {0, 1}, IGNORE).item()).isFinite();
        Tensor bad = Tensor.of(new float[] {0f, Float.NaN, 0f, 1f}, 2, 2);
        assertThatThrownBy(() -> Losses.crossEntropy(bad, new int[] {0, 1}, IGNORE))
                .isInstanceOf(NonFiniteException.class).hasMessageContaining("crossEntropy").hasMessageContaining("[2, 2]")
                .hasMessageContaining("row 0");
        Tensor inf = Tensor.of(new float[] {0f, 1f, Float.POSITIVE_INFINITY, 1f}, 2, 2);
        assertThatThrownBy(() -> Losses.crossEntropy(inf, new int[] {0, 1}, IGNORE))
                .isInstanceOf(NonFiniteException.class).hasMessageContaining("row 1");
    }

    @Test
    void targetErrorsNameCrossEntropyTheRowAndV() {
        Tensor logits = Tensor.zeros(2, 3, 4);
        assertThatThrownBy(() -> Losses.crossEntropy(logits, new int[] {0, 1, 2, 3, 4, 0}, IGNORE))
                .isInstanceOf(ShapeException.class).hasMessageContaining("crossEntropy").hasMessageContaining("row 4")
                .hasMessageContaining("V = 4").hasMessageContaining("[2, 3, 4]");
        assertThatThrownBy(() -> Losses.crossEntropy(logits, new int[] {0, -1, 2, 3, 0, 0}, IGNORE))
                .hasMessageContaining("target -1").hasMessageContaining("row 1");
        assertThatThrownBy(() -> Losses.crossEntropy(logits, new int[] {0, 1}, IGNORE))
                .isInstanceOf(ShapeException.class).hasMessageContaining("crossEntropy").hasMessageContaining("6 rows");
    }
}
