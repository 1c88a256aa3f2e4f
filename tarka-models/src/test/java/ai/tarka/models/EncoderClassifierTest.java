package ai.tarka.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.RopeScaling;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.optim.ParamGroup;
import ai.tarka.nn.train.TrainingStep;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncoderClassifierTest {
    static final int VOCAB = 11, MAX_LEN = 13, LABELS = 3;

    static ModelConfig config() {
        return new ModelConfig(ModelArchitecture.ENCODER, VOCAB, 24, 2, 3, 3, 48, MAX_LEN, 1e-5, 0, RopeScaling.none(),
                false, true, 0, LABELS, -1, -1);
    }

    /**
     * Synthetic task: rows of 5..13 random tokens; the label is which of tokens 1, 2, 3 occurs most often (rows are
     * drawn until there is a single winner). Needs the whole row, so it exercises attention and pooling over padding.
     */
    record Batch(int[] ids, int[] lengths, int[] labels, int rows) {}

    static Batch batch(Random rng, int rows) {
        int[] ids = new int[rows * MAX_LEN], lengths = new int[rows], labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            while (true) {
                int len = 5 + rng.nextInt(MAX_LEN - 4);
                int[] count = new int[VOCAB];
                for (int t = 0; t < MAX_LEN; t++) {
                    int id = t < len ? rng.nextInt(VOCAB) : 0;
                    ids[r * MAX_LEN + t] = id;
                    if (t < len) count[id]++;
                }
                int best = count[1] >= count[2] && count[1] >= count[3] ? 1 : count[2] >= count[3] ? 2 : 3;
                int ties = 0;
                for (int k = 1; k <= 3; k++) if (count[k] == count[best]) ties++;
                if (ties == 1) {
                    lengths[r] = len;
                    labels[r] = best - 1;
                    break;
                }
            }
        }
        return new Batch(ids, lengths, labels, rows);
    }

    static double accuracy(EncoderClassifier m, Batch b) {
        try (var noGrad = GradMode.disable()) {
            float[] logits = m.forward(b.ids, b.lengths, b.rows, MAX_LEN).toArray();
            int right = 0;
            for (int r = 0; r < b.rows; r++) if (Sampler.argmax(logits, r * LABELS, LABELS) == b.labels[r]) right++;
            return right / (double) b.rows;
        }
    }

    @Test
    void learnsWhichTokenOccursMostOften() {
        EncoderClassifier model = EncoderClassifier.create(config(), 1);
        ParameterBuffer buffer = ParameterBuffer.flatten(model);
        AdamW opt = AdamW.builder(buffer).lr(5e-3).weightDecay(0.01).group(ParamGroup.noDecayBelowRank2()).build();
        TrainingStep step = new TrainingStep(opt, 1.0);
        Random data = new Random(7);
        Batch held = batch(new Random(99), 256);
        double before = accuracy(model, held);
        double firstLoss = 0, lastLoss = 0;
        for (int i = 0; i < 120; i++) {
            Batch b = batch(data, 16);
            Tensor loss = model.loss(b.ids, b.lengths, b.rows, MAX_LEN, b.labels);
            if (i == 0) firstLoss = loss.item();
            lastLoss = loss.item();
            step.microBatch(loss, b.rows);
            step.finish();
        }
        double after = accuracy(model, held);
        System.out.printf("encoder: held-out accuracy %.3f -> %.3f, loss %.3f -> %.3f%n", before, after, firstLoss, lastLoss);
        assertThat(after).isGreaterThanOrEqualTo(0.9);
        assertThat(lastLoss).isLessThan(firstLoss / 3);
    }

    @Test
    void paddingDoesNotChangeARowsLogits() {
        EncoderClassifier model = EncoderClassifier.create(config(), 3);
        Batch b = batch(new Random(5), 4);
        float[] together = model.forward(b.ids, b.lengths, 4, MAX_LEN).toArray();
        for (int r = 0; r < 4; r++) {
            int len = b.lengths[r];
            int[] alone = Arrays.copyOfRange(b.ids, r * MAX_LEN, r * MAX_LEN + len);
            float[] want = model.forward(alone, null, 1, len).toArray();
            float[] got = Arrays.copyOfRange(together, r * LABELS, (r + 1) * LABELS);
            assertThat(Closeness.maxRelativeError(got, want, Closeness.maxAbs(want))).as("row %d", r).isLessThanOrEqualTo(1e-5);
        }
        // bidirectional: changing the last real token changes the pooled representation through every position
        int[] ids = b.ids.clone();
        ids[b.lengths[0] - 1] = (ids[b.lengths[0] - 1] + 1) % VOCAB;
        assertThat(model.forward(ids, b.lengths, 4, MAX_LEN).slice(0, 0, 1).toArray())
                .isNotEqualTo(Arrays.copyOf(together, LABELS));
    }
}
