package ai.tarka.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.train.config.TrainConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient accumulation is normalised by the trained (non-masked) tokens of ALL micro-batches: two micro-batches
 * with very different numbers of masked targets train exactly like one batch holding both (up to float rounding),
 * which averaging the two micro-batch means would not.
 */
class AccumulationTest {
    @TempDir
    Path tmp;

    private static final int ROWS = 6, T = 9;

    /** Six rows; the first three have most targets masked, the last three none. */
    private static MicroBatch wholeBatch(long step) {
        SplittableRandom r = new SplittableRandom(100 + step);
        int[] in = new int[ROWS * T], tg = new int[ROWS * T];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextInt(TinyRuns.ALPHABET.length());
            tg[i] = r.nextInt(TinyRuns.ALPHABET.length());
            if (i < 3 * T && i % T != 4) tg[i] = MicroBatch.IGNORE_INDEX;
        }
        return new MicroBatch(in, tg, ROWS, T);
    }

    private static MicroBatch half(MicroBatch b, int which) {
        int n = ROWS / 2 * T;
        return new MicroBatch(Arrays.copyOfRange(b.inputs(), which * n, which * n + n),
                Arrays.copyOfRange(b.targets(), which * n, which * n + n), ROWS / 2, T);
    }

    private record Fixed(int split) implements TrainingData {
        @Override
        public MicroBatch trainBatch(long index) {
            if (split == 1) return wholeBatch(index);
            return half(wholeBatch(index / 2), (int) (index % 2));
        }

        @Override
        public MicroBatch evalBatch(int i) {
            return wholeBatch(1000 + i);
        }

        @Override
        public int evalBatchCount() {
            return 1;
        }
    }

    private LossRecorder run(String name, int accumulation) {
        TrainConfig c = TinyRuns.config(tmp.resolve(name), 4, 0, accumulation);
        LossRecorder rec = new LossRecorder();
        TrainingInputs inputs = new TrainingInputs(new Fixed(accumulation), null, null, TinyRuns.ALPHABET.length());
        new Trainer(c, new StandInBackend(), inputs, rec).run(false);
        return rec;
    }

    @Test
    void twoMaskedMicroBatchesTrainLikeOneBatch() {
        LossRecorder one = run("one", 1);
        LossRecorder two = run("two", 2);
        for (long step = 1; step <= 4; step++) {
            assertThat(two.lossAt(step)).as("step %d", step).isCloseTo(one.lossAt(step), org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
        // the mean of the two micro-batch means would differ clearly: 3 trained tokens vs 27
        MicroBatch b = wholeBatch(0);
        assertThat(half(b, 0).trainedTokens()).isEqualTo(3);
        assertThat(half(b, 1).trainedTokens()).isEqualTo(27);
    }
}
