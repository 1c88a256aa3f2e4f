package ai.tarka.train;

/**
 * One micro-batch of token rows: {@code inputs} and {@code targets} are {@code rows × seqLen}, row-major; a target of
 * {@link #IGNORE_INDEX} is masked out of the loss.
 */
public record MicroBatch(int[] inputs, int[] targets, int rows, int seqLen) {
    /** The masked-target id (PyTorch's and Hugging Face's convention). */
    public static final int IGNORE_INDEX = -100;

    public MicroBatch {
        if (rows <= 0 || seqLen <= 0 || inputs.length != rows * seqLen || targets.length != rows * seqLen) {
            throw new IllegalArgumentException("MicroBatch: " + inputs.length + " inputs and " + targets.length
                    + " targets for " + rows + " rows × " + seqLen + " tokens");
        }
    }

    /** Targets that count in the loss. */
    public long trainedTokens() {
        long n = 0;
        for (int t : targets) if (t != IGNORE_INDEX) n++;
        return n;
    }
}
