package ai.tarka.serve.model;

import ai.tarka.serve.kv.PagedKvCache;

/**
 * What the serving engine needs from a model: one forward step over a {@link StepBatch} whose keys and values are
 * written into and read from a {@link PagedKvCache}, so every weight is read once per step for all sequences.
 */
public interface BatchModel {

    int vocabSize();

    /** Longest sequence (prompt plus output) the model supports. */
    int contextLength();

    int numLayers();

    /** Key (or value) floats per token per layer: kv heads × head width. */
    int kvDim();

    /** Runs the step, writing {@code batch.numLogitRows() × vocabSize()} logits into {@code logits}. */
    void forward(StepBatch batch, PagedKvCache cache, float[] logits);
}
