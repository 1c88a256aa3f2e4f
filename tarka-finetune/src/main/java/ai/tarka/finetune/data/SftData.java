package ai.tarka.finetune.data;

import ai.tarka.train.MicroBatch;
import ai.tarka.train.TrainingData;
import java.util.SplittableRandom;

/**
 * Fine-tuning batches over packed rows. Each epoch visits every training row once in an order drawn from
 * (seed, epoch), so micro-batch {@code i} is a pure function of the seed and {@code i} and a resumed run sees the
 * batches an uninterrupted one would. Validation rows are fixed; the last validation batch is filled up with
 * all-padding rows.
 */
public final class SftData implements TrainingData {
    private final PackedRows train;
    private final PackedRows eval;
    private final int microBatch;
    private final long seed;
    private final int padId;
    private int[] permutation;
    private long permutationEpoch = -1;

    public SftData(PackedRows train, PackedRows eval, int microBatch, long seed, int padId) {
        if (train.size() == 0) throw new DatasetException("no training rows: the dataset is empty after the validation split");
        this.train = train;
        this.eval = eval;
        this.microBatch = microBatch;
        this.seed = seed;
        this.padId = padId;
    }

    @Override
    public synchronized MicroBatch trainBatch(long index) {
        int[] rows = new int[microBatch];
        int n = train.size();
        for (int r = 0; r < microBatch; r++) {
            long g = index * microBatch + r;
            rows[r] = order(g / n)[(int) (g % n)];
        }
        return train.batch(rows, padId);
    }

    private int[] order(long epoch) {
        if (epoch != permutationEpoch) {
            int n = train.size();
            int[] p = new int[n];
            for (int i = 0; i < n; i++) p[i] = i;
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            permutation = p;
            permutationEpoch = epoch;
        }
        return permutation;
    }

    @Override
    public MicroBatch evalBatch(int i) {
        int[] rows = new int[microBatch];
        for (int r = 0; r < microBatch; r++) {
            int row = i * microBatch + r;
            rows[r] = row < eval.size() ? row : -1;
        }
        return eval.batch(rows, padId);
    }

    @Override
    public int evalBatchCount() {
        return (eval.size() + microBatch - 1) / microBatch;
    }

    public PackedRows trainRows() {
        return train;
    }

    public PackedRows evalRows() {
        return eval;
    }

    /** Optimiser steps in {@code epochs} passes over the training rows. */
    public int stepsFor(double epochs, int accumulation) {
        double microBatches = Math.ceil(epochs * train.size() / microBatch);
        return (int) Math.max(1, Math.ceil(microBatches / accumulation));
    }
}
