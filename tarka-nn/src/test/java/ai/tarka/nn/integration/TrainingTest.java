package ai.tarka.nn.integration;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tiny GPT-2 (tied head) learns to reverse a sequence in 100 steps of AdamW with warm-up +
 * cosine and clipping through the flat buffer, then reverses held-out sequences (never trained on)
 * by greedy decoding.
 */
class TrainingTest {
    static final ReverseTask TASK = new ReverseTask(5, 8);

    @Test
    void tinyGptLearnsToReverseAndDecodesHeldOutSequencesGreedily() {
        TinyGpt model = new TinyGpt(TinyConfig.gpt(11, 32, 2, 4, TASK.inputLength(), true), 5, 0.1);
        int steps = 100;
        TinyTrainer trainer = new TinyTrainer(model, TASK, 77, 1e-2, 10, steps);
        double[] losses = trainer.run(steps, 1, 32);

        double first = losses[0], last = Arrays.stream(losses, steps - 10, steps).average().orElseThrow();
        assertThat(first).isGreaterThan(Math.log(8) - 0.5);
        // chance on the trained (reversed) half is ln 8 = 2.08; a model that reverses gets close to 0
        assertThat(last).as("mean loss of the last 10 steps").isLessThan(0.02);

        int prompts = 64;
        SplittableRandom heldOut = new SplittableRandom(123);
        int[][] expected = new int[prompts][];
        int[][] rows = new int[prompts][];
        for (int i = 0; i < prompts; i++) {
            int[] seq = TASK.sequence(TASK.prompt(heldOut, true));
            expected[i] = seq;
            rows[i] = Arrays.copyOf(seq, TASK.length + 1);
        }
        int[][] generated = greedy(model, rows, TASK.length);
        int correct = 0;
        for (int i = 0; i < prompts; i++) if (Arrays.equals(generated[i], expected[i])) correct++;
        assertThat(correct).as("held-out sequences reversed exactly").isEqualTo(prompts);
    }

    /** Appends {@code n} argmax tokens to every row (all rows the same length), re-running the whole prefix each time. */
    static int[][] greedy(TinyLm model, int[][] rows, int n) {
        int b = rows.length;
        int[][] out = rows.clone();
        try (var off = GradMode.disable()) {
            for (int step = 0; step < n; step++) {
                int t = out[0].length;
                int[] ids = new int[b * t];
                for (int r = 0; r < b; r++) System.arraycopy(out[r], 0, ids, r * t, t);
                Tensor logits = model.logits(TokenBatch.causal(ids, new int[b * t], b, t));
                int v = logits.size(2);
                float[] l = logits.toArray();
                for (int r = 0; r < b; r++) {
                    int base = (r * t + t - 1) * v, best = 0;
                    for (int j = 1; j < v; j++) if (l[base + j] > l[base + best]) best = j;
                    out[r] = Arrays.copyOf(out[r], t + 1);
                    out[r][t] = best;
                }
            }
        }
        return out;
    }
}
