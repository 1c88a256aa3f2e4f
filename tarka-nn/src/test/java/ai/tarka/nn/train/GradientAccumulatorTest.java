package ai.tarka.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.TestOps;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GradientAccumulatorTest {

    static Stream<Arguments> splits() {
        Random r = new Random(8);
        // tokens, feature size, split points, masked tokens
        return Stream.of(
                Arguments.of(10, 5, new int[] {3}, new int[] {}, r.nextLong()),
                Arguments.of(23, 7, new int[] {2, 20}, new int[] {0, 5, 6, 21}, r.nextLong()),
                Arguments.of(17, 3, new int[] {1, 4, 9}, new int[] {2, 3, 10, 11, 12, 13}, r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void microBatchesOfDifferentSizesGiveTheBigBatchGradient(int tokens, int k, int[] cuts, int[] masked, long seed) {
        RegressionData d = new RegressionData(tokens, k, seed, masked);
        RegressionData.Model m = new RegressionData.Model(k, seed);
        ParameterBuffer buf = ParameterBuffer.flatten(m);

        Tensor big = TestOps.squaredError(m.w.tensor(), d.x, d.y, d.mask, 0, tokens, true);
        big.backward();
        float[] bigGrad = m.w.grad().toArray();
        double bigLoss = big.item();

        GradientAccumulator acc = new GradientAccumulator(buf);
        acc.begin();
        int from = 0;
        float[] naive = new float[k];
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : tokens;
            int n = d.count(from, to);
            Tensor loss = TestOps.squaredError(m.w.tensor(), d.x, d.y, d.mask, from, to, true);
            if (n > 0) {
                float[] before = m.w.grad().toArray();
                acc.addMeanLoss(loss, n);
                float[] after = m.w.grad().toArray();
                for (int i = 0; i < k; i++) naive[i] += (after[i] - before[i]) / n / (cuts.length + 1);
            } else {
                acc.addMeanLoss(loss, 0); // fully masked: its mean is 0/0, and it must be skipped
            }
            from = to;
        }
        assertThat(acc.microBatches()).isEqualTo(cuts.length + 1);
        assertThat(acc.tokens()).isEqualTo(d.count(0, tokens));
        double loss = acc.finish();
        assertThat(loss).isCloseTo(bigLoss, offset(1e-5 * Math.max(1, bigLoss)));
        float[] accGrad = m.w.grad().toArray();
        double worstNaive = 0;
        for (int i = 0; i < k; i++) {
            assertThat(accGrad[i]).as("grad[%d]", i).isCloseTo(bigGrad[i], org.assertj.core.data.Offset.offset(1e-5f));
            worstNaive = Math.max(worstNaive, Math.abs(naive[i] - bigGrad[i]));
        }
        // averaging the per-micro-batch means (the bug this class avoids) would be visibly wrong here
        assertThat(worstNaive).isGreaterThan(1e-3);
        assertThat(m.unused.grad().toArray()).containsOnly(0f);
    }

    @Test
    void summedLossesNormaliseTheSameWay() {
        RegressionData d = new RegressionData(9, 4, 1, 4);
        RegressionData.Model m = new RegressionData.Model(4, 1);
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        TestOps.squaredError(m.w.tensor(), d.x, d.y, d.mask, 0, 9, true).backward();
        float[] bigGrad = m.w.grad().toArray();
        GradientAccumulator acc = new GradientAccumulator(buf);
        acc.begin();
        assertThat(buf.grads()).containsOnly(0f);
        acc.addSumLoss(TestOps.squaredError(m.w.tensor(), d.x, d.y, d.mask, 0, 2, false), d.count(0, 2));
        acc.addSumLoss(TestOps.squaredError(m.w.tensor(), d.x, d.y, d.mask, 2, 9, false), d.count(2, 9));
        acc.finish();
        float[] g = m.w.grad().toArray();
        for (int i = 0; i < 4; i++) assertThat(g[i]).isCloseTo(bigGrad[i], org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void finishingWithoutTokensIsAnError() {
        GradientAccumulator acc = new GradientAccumulator(ParameterBuffer.flatten(new RegressionData.Model(3, 1)));
        acc.begin();
        acc.addMeanLoss(Tensor.scalar(Float.NaN), 0);
        assertThatThrownBy(acc::finish).hasMessageContaining("no trained tokens in 1 micro-batches");
        assertThat(GradientAccumulator.countTrainedTokens(new int[] {5, -100, 7, -100}, -100)).isEqualTo(2);
        assertThatThrownBy(() -> acc.addMeanLoss(Tensor.zeros(2), 1)).hasMessageContaining("single value");
    }
}
