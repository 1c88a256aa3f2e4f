package ai.tarka.train;

import java.util.SplittableRandom;

/**
 * Test-only {@link TrainingData} until tarka-data lands: random windows over a token array, batch {@code i} drawn
 * from a generator seeded by (seed, i) only; validation windows are consecutive windows of a held-out tail.
 */
final class WindowData implements TrainingData {
    private final int[] train;
    private final int[] val;
    private final long seed;
    private final int rows;
    private final int seqLen;

    WindowData(int[] tokens, double valFraction, long seed, int rows, int seqLen) {
        int split = (int) (tokens.length * (1 - valFraction));
        this.train = java.util.Arrays.copyOf(tokens, split);
        this.val = java.util.Arrays.copyOfRange(tokens, split, tokens.length);
        this.seed = seed;
        this.rows = rows;
        this.seqLen = seqLen;
    }

    @Override
    public MicroBatch trainBatch(long index) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int[] in = new int[rows * seqLen], tg = new int[rows * seqLen];
        for (int r = 0; r < rows; r++) {
            int start = rng.nextInt(train.length - seqLen);
            System.arraycopy(train, start, in, r * seqLen, seqLen);
            System.arraycopy(train, start + 1, tg, r * seqLen, seqLen);
        }
        return new MicroBatch(in, tg, rows, seqLen);
    }

    @Override
    public MicroBatch evalBatch(int i) {
        int[] in = new int[rows * seqLen], tg = new int[rows * seqLen];
        for (int r = 0; r < rows; r++) {
            int start = ((i * rows + r) * seqLen) % (val.length - seqLen - 1);
            System.arraycopy(val, start, in, r * seqLen, seqLen);
            System.arraycopy(val, start + 1, tg, r * seqLen, seqLen);
        }
        return new MicroBatch(in, tg, rows, seqLen);
    }

    @Override
    public int evalBatchCount() {
        return Math.max(1, (val.length - 1) / (rows * seqLen));
    }
}
