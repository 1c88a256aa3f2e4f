package ai.tarka.nn.train;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.TrainableRuns;
import ai.tarka.nn.optim.GradClip;

/**
 * Sums gradients over micro-batches and normalises once by the TOTAL number of trained
 * (non-masked) tokens across them, so accumulating micro-batches of different sizes gives the
 * gradient of one big batch's per-token mean loss. Averaging per-micro-batch means instead would
 * over-weight the tokens of short micro-batches.
 *
 * <p>Each micro-batch's loss enters as a SUM over its tokens: a mean loss is back-propagated with
 * seed {@code tokens} (giving the gradient of the sum), a summed loss with seed 1. After the last
 * micro-batch, {@link #finish()} scales the flat gradients by {@code 1 / totalTokens}.
 */
public final class GradientAccumulator {
    private final ParameterBuffer buffer;
    private long tokens;
    private double lossSum;
    private int microBatches;

    public GradientAccumulator(ParameterBuffer buffer) {
        this.buffer = buffer;
    }

    /** Starts a new accumulation: zeroes the gradients and the counters. */
    public void begin() {
        buffer.zeroGrad();
        tokens = 0;
        lossSum = 0;
        microBatches = 0;
    }

    /**
     * Adds a micro-batch whose loss is the MEAN over its {@code trainedTokens} tokens. A micro-batch
     * with no trained tokens contributes nothing (its mean is undefined) and is not back-propagated.
     */
    public void addMeanLoss(Tensor meanLoss, long trainedTokens) {
        add(meanLoss, trainedTokens, trainedTokens);
    }

    /** Adds a micro-batch whose loss is the SUM over its {@code trainedTokens} tokens. */
    public void addSumLoss(Tensor sumLoss, long trainedTokens) {
        add(sumLoss, trainedTokens, 1);
    }

    private void add(Tensor loss, long trainedTokens, double seed) {
        if (loss.numel() != 1) {
            throw new IllegalArgumentException("GradientAccumulator: loss must be a single value, got shape "
                    + java.util.Arrays.toString(loss.shape()));
        }
        if (trainedTokens < 0) throw new IllegalArgumentException("GradientAccumulator: negative token count " + trainedTokens);
        microBatches++;
        if (trainedTokens == 0) return;
        lossSum += (double) loss.item() * seed;
        tokens += trainedTokens;
        loss.backward(Tensor.full((float) seed, loss.shape()));
    }

    /**
     * Divides the accumulated gradients by the total trained tokens and returns the mean loss per
     * trained token over all micro-batches.
     */
    public double finish() {
        if (tokens == 0) {
            throw new IllegalStateException("GradientAccumulator.finish: no trained tokens in " + microBatches + " micro-batches");
        }
        GradClip.scale(buffer, TrainableRuns.of(buffer), (float) (1.0 / tokens));
        return lossSum / tokens;
    }

    public long tokens() {
        return tokens;
    }

    public int microBatches() {
        return microBatches;
    }

    /** Number of targets that are trained on, i.e. not equal to {@code ignoreIndex} (often -100 or -1). */
    public static long countTrainedTokens(int[] targets, int ignoreIndex) {
        long n = 0;
        for (int t : targets) if (t != ignoreIndex) n++;
        return n;
    }
}
