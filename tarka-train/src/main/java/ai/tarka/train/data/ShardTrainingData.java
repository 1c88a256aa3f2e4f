package ai.tarka.train.data;

import ai.tarka.data.PreparedData;
import ai.tarka.data.sample.EvalWindows;
import ai.tarka.data.sample.RandomWindowSampler;
import ai.tarka.data.sample.TokenBatch;
import ai.tarka.train.MicroBatch;
import ai.tarka.train.TrainingData;

/**
 * Batches from a prepared shard folder: training micro-batch {@code i} is {@link RandomWindowSampler} batch {@code i}
 * (a pure function of the seed and {@code i}), validation micro-batches are the first {@link EvalWindows} batches of
 * the validation split (each token predicted once).
 */
public final class ShardTrainingData implements TrainingData {
    private final RandomWindowSampler sampler;
    private final EvalWindows eval;

    public ShardTrainingData(PreparedData data, int microBatch, int seqLen, long seed) {
        if (data.val().isEmpty()) {
            throw new IllegalArgumentException(data.dir() + ": no validation split; prepare the data with a validation fraction > 0");
        }
        this.sampler = new RandomWindowSampler(data.train(), microBatch, seqLen, seed);
        this.eval = new EvalWindows(data.val(), microBatch, seqLen);
        if (eval.batchCount() == 0) {
            throw new IllegalArgumentException(data.dir() + ": the validation split is shorter than one window of "
                    + (seqLen + 1) + " tokens");
        }
    }

    @Override
    public MicroBatch trainBatch(long index) {
        return of(sampler.batch(index));
    }

    @Override
    public MicroBatch evalBatch(int i) {
        return of(eval.batch(i));
    }

    @Override
    public int evalBatchCount() {
        return (int) Math.min(Integer.MAX_VALUE, eval.batchCount());
    }

    private static MicroBatch of(TokenBatch b) {
        return new MicroBatch(b.inputs(), b.targets(), b.batch(), b.seqLen());
    }
}
