package ai.tarka.engine;

/** How a loss combines its per-row values into one scalar. */
public enum Reduction {
    /** Mean over the rows that count (not ignored). */
    MEAN,
    /**
     * Sum over the rows that count; for gradient accumulation that later divides by the number of
     * trained tokens across micro-batches.
     */
    SUM
}
