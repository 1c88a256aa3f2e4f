package ai.tarka.train;

/**
 * One micro-batch of token rows: {@code inputs} and {@code targets} are {@code rows × seqLen}, row-major; a target of
 * {@link #IGNORE_INDEX} is masked out of the loss. {@code positions} ({@code rows × seqLen}, or null for
 * {@code 0..seqLen-1}) restart at each sample of a packed row, which keeps attention inside each sample.
 */
public record MicroBatch(int[] inputs, int[] targets, int rows, int seqLen, int[] positions) {
    /** The masked-target id (PyTorch's and Hugging Face's convention). */
    public static final int IGNORE_INDEX = -100;

    public MicroBatch {
        if (rows <= 0 || seqLen <= 0 || inputs.length != rows * seqLen || targets.length != rows * seqLen) {
            throw new IllegalArgumentException("MicroBatch: " + inputs.length + " inputs and " + targets.length
                    + " targets for " + rows + " rows × " + seqLen + " tokens");
        }
        if (positions != null && positions.length != rows * seqLen) {
            throw new IllegalArgumentException("MicroBatch: " + positions.length + " positions for " + rows + " rows × "
                    + seqLen + " tokens");
        }
    }

    /** Rows of consecutive positions {@code 0..seqLen-1}. */
    public MicroBatch(int[] inputs, int[] targets, int rows, int seqLen) {
        this(inputs, targets, rows, seqLen, null);
    }

    /** Targets that count in the loss. */
    public long trainedTokens() {
        long n = 0;
        for (int t : targets) if (t != IGNORE_INDEX) n++;
        return n;
    }
}
