package ai.tarka.serve.model;

/**
 * One model step over tokens of several sequences at once: prompt chunks and single decode tokens side by side.
 * Token {@code i} is {@code tokens[i]} at {@code positions[i]} of sequence {@code seqOf[i]}; it attends to positions
 * {@code 0..positions[i]} of that sequence, read through the sequence's block table. Logits are computed only for
 * the tokens listed in {@code logitRows}, in that order.
 *
 * @param numTokens   tokens in the step
 * @param tokens      token ids, at least numTokens long
 * @param positions   positions, at least numTokens long
 * @param seqOf       sequence index of each token, at least numTokens long
 * @param blockTables per sequence, the KV block ids covering its positions
 * @param numLogitRows how many of {@code logitRows} are used
 * @param logitRows   token indices whose logits are wanted
 * @param adapterOf   per sequence, the LoRA adapter id (0 = base model), or null when every sequence uses the base
 */
public record StepBatch(int numTokens, int[] tokens, int[] positions, int[] seqOf, int[][] blockTables,
                        int numLogitRows, int[] logitRows, int[] adapterOf) {

    /** A step in which every sequence uses the base model. */
    public StepBatch(int numTokens, int[] tokens, int[] positions, int[] seqOf, int[][] blockTables, int numLogitRows,
                     int[] logitRows) {
        this(numTokens, tokens, positions, seqOf, blockTables, numLogitRows, logitRows, null);
    }

    public StepBatch {
        if (numTokens < 0 || numTokens > tokens.length || numTokens > positions.length || numTokens > seqOf.length
                || numLogitRows < 0 || numLogitRows > logitRows.length) {
            throw new IllegalArgumentException("StepBatch: " + numTokens + " tokens / " + numLogitRows
                    + " logit rows do not fit arrays of " + tokens.length + ", " + positions.length + ", " + seqOf.length
                    + ", " + logitRows.length);
        }
    }
}
