package ai.tarka.nn.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.AttentionMask;
import ai.tarka.engine.GradMode;
import ai.tarka.engine.Losses;
import ai.tarka.engine.Reduction;
import ai.tarka.engine.Rope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Samples packed back to back in one row (segment-id causal mask, positions restarting at 0 per
 * sample: per-token RoPE positions for Llama, per-token position-embedding rows for GPT-2) give the
 * logits and the summed-loss gradients of running each sample alone.
 */
class PackedSequenceTest {
    static final int V = 11, T = 7;
    /** Row 0 packs samples of 3 and 4 tokens, row 1 three samples of 2, 2 and 3. */
    static final int[][] LENGTHS = {{3, 4}, {2, 2, 3}};

    static Stream<String> models() {
        return Stream.of("gpt", "llama");
    }

    static TinyLm model(String kind) {
        return kind.equals("gpt")
                ? new TinyGpt(TinyConfig.gpt(V, 12, 2, 3, T, false), 21)
                : new TinyLlama(new TinyConfig(V, 12, 2, 4, 2, 4, 20, T, false), 22);
    }

    @ParameterizedTest
    @MethodSource("models")
    void packedRowsMatchEachSampleAlone(String kind) {
        TinyLm model = model(kind);
        Random r = new Random(kind.hashCode());
        int[][][] ids = new int[LENGTHS.length][][], targets = new int[LENGTHS.length][][];
        List<TokenBatch> alone = new ArrayList<>();
        for (int row = 0; row < LENGTHS.length; row++) {
            ids[row] = new int[LENGTHS[row].length][];
            targets[row] = new int[LENGTHS[row].length][];
            for (int s = 0; s < LENGTHS[row].length; s++) {
                ids[row][s] = r.ints(LENGTHS[row][s], 0, V).toArray();
                targets[row][s] = r.ints(LENGTHS[row][s], 0, V).toArray();
                alone.add(TokenBatch.single(ids[row][s], targets[row][s]));
            }
        }
        TokenBatch packed = TokenBatch.packed(ids, targets, T);

        float[] packedLogits, unmasked;
        List<float[]> aloneLogits = new ArrayList<>();
        try (var off = GradMode.disable()) {
            packedLogits = model.logits(packed).toArray();
            for (TokenBatch b : alone) aloneLogits.add(model.logits(b).toArray());
            unmasked = model.logits(new TokenBatch(packed.ids(), packed.batch(), T, packed.positions(),
                    AttentionMask.causal(), packed.targets())).toArray();
        }
        int sample = 0;
        double sensitivity = 0;
        for (int row = 0; row < LENGTHS.length; row++) {
            int at = row * T * V;
            for (int len : LENGTHS[row]) {
                float[] expected = aloneLogits.get(sample++);
                for (int i = 0; i < len * V; i++) {
                    assertThat(packedLogits[at + i]).as("%s sample %d logit %d", kind, sample - 1, i)
                            .isCloseTo(expected[i], offset(1e-5f));
                    sensitivity = Math.max(sensitivity, Math.abs(unmasked[at + i] - expected[i]));
                }
                at += len * V;
            }
        }
        // without the segment ids later samples would attend to earlier ones: the test can tell
        assertThat(sensitivity).isGreaterThan(1e-2);

        Map<String, float[]> packedGrads = Gradients.of(model,
                () -> Losses.crossEntropy(model.logits(packed), packed.targets(), TokenBatch.IGNORE, Reduction.SUM));
        @SuppressWarnings("unchecked")
        Map<String, float[]>[] parts = new Map[alone.size()];
        double[] ones = new double[alone.size()];
        for (int i = 0; i < parts.length; i++) {
            TokenBatch b = alone.get(i);
            parts[i] = Gradients.of(model, () -> Losses.crossEntropy(model.logits(b), b.targets(), TokenBatch.IGNORE, Reduction.SUM));
            ones[i] = 1;
        }
        Map<String, float[]> summed = Gradients.weightedSum(parts, ones);
        assertThat(Gradients.maxAbs(summed)).isGreaterThan(0.1);
        Gradients.assertClose(packedGrads, summed, 1e-5);
    }

    /**
     * The same packed row with positions 0..T−1 instead of restarting per sample: GPT-2's absolute
     * position embeddings change the second sample's logits, while RoPE, which only sees the offset
     * between a query and a key, leaves them as they were (up to the rounding of the cos/sin table).
     */
    @ParameterizedTest
    @MethodSource("models")
    void restartingPositionsMattersForAbsoluteButNotForRotaryPositions(String kind) {
        TinyLm model = model(kind);
        int[][][] ids = {{{1, 2, 3}, {4, 5, 6, 7}}};
        int[][][] targets = {{{1, 1, 1}, {1, 1, 1, 1}}};
        TokenBatch packed = TokenBatch.packed(ids, targets, T);
        TokenBatch shared = new TokenBatch(packed.ids(), 1, T, Rope.positions(0, T), packed.mask(), packed.targets());
        try (var off = GradMode.disable()) {
            float[] x = model.logits(packed).toArray(), y = model.logits(shared).toArray();
            for (int i = 0; i < 3 * V; i++) assertThat(x[i]).isEqualTo(y[i]);
            double diff = 0;
            for (int i = 3 * V; i < T * V; i++) diff = Math.max(diff, Math.abs(x[i] - y[i]));
            if (kind.equals("gpt")) assertThat(diff).isGreaterThan(1e-2);
            else assertThat(diff).isLessThan(1e-5);
        }
    }
}
