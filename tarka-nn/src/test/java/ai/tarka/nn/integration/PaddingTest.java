package ai.tarka.nn.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.GradMode;
import ai.tarka.nn.ParameterBuffer;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A right-padded batch (key lengths in the mask, ignored targets on the padding) has the mean loss
 * and the gradients of its samples run one by one, each weighted by its share of trained tokens,
 * and what the padding holds does not matter.
 */
class PaddingTest {
    static final int V = 11, T = 7;
    static final int[] LENGTHS = {5, 2, 7, 4};

    static Stream<String> models() {
        return Stream.of("gpt", "llama");
    }

    @ParameterizedTest
    @MethodSource("models")
    void paddedBatchEqualsSamplesRunAloneWeightedByTheirTokens(String kind) {
        TinyLm model = kind.equals("gpt")
                ? new TinyGpt(TinyConfig.gpt(V, 12, 2, 3, T, true), 31)
                : new TinyLlama(new TinyConfig(V, 12, 2, 4, 2, 4, 20, T, false), 32);
        ParameterBuffer.flatten(model);
        Random r = new Random(kind.hashCode() + 1);
        int b = LENGTHS.length;
        int[][] ids = new int[b][], targets = new int[b][];
        TokenBatch[] alone = new TokenBatch[b];
        for (int i = 0; i < b; i++) {
            ids[i] = r.ints(LENGTHS[i], 0, V).toArray();
            targets[i] = r.ints(LENGTHS[i], 0, V).toArray();
            if (LENGTHS[i] > 3) targets[i][1] = TokenBatch.IGNORE; // an ignored target inside a sample too
            alone[i] = TokenBatch.single(ids[i], targets[i]);
        }
        TokenBatch padded = TokenBatch.rightPadded(ids, targets, T, 0);
        TokenBatch otherPad = TokenBatch.rightPadded(ids, targets, T, V - 1);

        double total = 0;
        double[] weights = new double[b];
        for (int i = 0; i < b; i++) total += alone[i].trainedTokens();
        assertThat((double) padded.trainedTokens()).isEqualTo(total);
        double expectedLoss = 0;
        @SuppressWarnings("unchecked")
        Map<String, float[]>[] parts = new Map[b];
        for (int i = 0; i < b; i++) {
            TokenBatch one = alone[i];
            weights[i] = one.trainedTokens() / total;
            try (var off = GradMode.disable()) {
                expectedLoss += weights[i] * model.loss(one).item();
            }
            parts[i] = Gradients.of(model, () -> model.loss(one));
        }
        float paddedLoss;
        try (var off = GradMode.disable()) {
            paddedLoss = model.loss(padded).item();
            float[] a = model.logits(padded).toArray(), c = model.logits(otherPad).toArray();
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < LENGTHS[i] * V; j++) {
                    assertThat(a[i * T * V + j]).as("real position logits do not see the pad id").isEqualTo(c[i * T * V + j]);
                }
            }
        }
        assertThat((double) paddedLoss).isCloseTo(expectedLoss, offset(1e-5 * expectedLoss));

        Map<String, float[]> expected = Gradients.weightedSum(parts, weights);
        assertThat(Gradients.maxAbs(expected)).isGreaterThan(0.05);
        Gradients.assertClose(Gradients.of(model, () -> model.loss(padded)), expected, 1e-5);
        Gradients.assertClose(Gradients.of(model, () -> model.loss(otherPad)), expected, 1e-5);
    }
}
