package ai.tarka.eval.harness;

import java.io.Writer;

/**
 * How a task runs.
 *
 * @param limit             documents (0: all); for rolling perplexity, windows
 * @param batchSize         requests per model call (results do not depend on it)
 * @param bootstrapSamples  resamples for standard errors (0: none)
 * @param samples           where {@code --log-samples} lines go (JSONL), or null
 */
public record EvalOptions(int limit, int batchSize, int bootstrapSamples, long seed, Writer samples) {

    public static EvalOptions defaults() {
        return new EvalOptions(0, 1, 1000, 1234, null);
    }

    public EvalOptions {
        if (batchSize < 1) throw new IllegalArgumentException("eval: batch size " + batchSize + " must be >= 1");
        if (limit < 0) throw new IllegalArgumentException("eval: limit " + limit + " must be >= 0");
    }
}
