package ai.tarka.train;

/**
 * Where the trainer's batches come from. Training batches are a pure function of the run's seed and the micro-batch
 * index, so a resumed run sees exactly the batches an uninterrupted one would; the validation set is fixed.
 */
public interface TrainingData {

    /** Training micro-batch number {@code index} (0-based over the whole run). */
    MicroBatch trainBatch(long index);

    /** Validation micro-batch {@code i} of a fixed set, {@code 0 ≤ i < evalBatchCount()}. */
    MicroBatch evalBatch(int i);

    /** How many distinct validation micro-batches there are (evaluation uses at most this many). */
    int evalBatchCount();
}
