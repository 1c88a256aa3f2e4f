package ai.tarka.formats.llama2c;

/**
 * The header of a llama2.c checkpoint. {@code version} is 0 for the legacy export (7 int32s, a negative vocab size
 * meaning an unshared classifier) and 1 for the versioned fp32 export ("ak42" magic, 256-byte header, a shared flag).
 * {@code vocabSize} is always positive here.
 */
public record Llama2cConfig(int version, int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads, int vocabSize,
                            int seqLen, boolean sharedClassifier) {

    public int headSize() {
        return dim / nHeads;
    }

    /** Width of the key and value projections: {@code nKvHeads * headSize}. */
    public int kvDim() {
        return nKvHeads * headSize();
    }
}
