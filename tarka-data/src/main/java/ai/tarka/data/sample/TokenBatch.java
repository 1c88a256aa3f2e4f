package ai.tarka.data.sample;

/**
 * A batch of {@code batch} windows of {@code seqLen} tokens, row-major ({@code inputs[r * seqLen + t]}):
 * the targets are the inputs shifted by one token (the next token to predict).
 *
 * @param index the batch's index in its sampler (or evaluation pass)
 */
public record TokenBatch(int[] inputs, int[] targets, int batch, int seqLen, long index) {
    public TokenBatch {
        if (inputs.length != batch * seqLen || targets.length != batch * seqLen) {
            throw new IllegalArgumentException("TokenBatch: inputs " + inputs.length + " / targets " + targets.length
                    + " elements do not match batch " + batch + " x seqLen " + seqLen);
        }
    }

    /** Number of target tokens. */
    public int tokens() {
        return batch * seqLen;
    }
}
