package ai.tarka.serve.engine;

/**
 * Engine limits.
 *
 * @param blockSize        tokens per KV block
 * @param numBlocks        blocks in the pool
 * @param maxNumSeqs       most sequences in the running batch
 * @param maxBatchedTokens most tokens computed in one step (bounds prefill chunks)
 * @param prefillChunkWhileDecoding while sequences decode, most prompt tokens in one step (raised to the number of
 *                         decoding sequences); 0 for no bound beyond {@code maxBatchedTokens}
 * @param maxWaiting       most requests waiting; more are refused (HTTP 429)
 * @param prefixCaching    reuse cached full blocks of shared prefixes
 */
public record EngineConfig(int blockSize, int numBlocks, int maxNumSeqs, int maxBatchedTokens,
                           int prefillChunkWhileDecoding, int maxWaiting, boolean prefixCaching) {
    public EngineConfig {
        if (blockSize <= 0 || numBlocks <= 0 || maxNumSeqs <= 0 || maxBatchedTokens <= 0 || maxWaiting < 0
                || prefillChunkWhileDecoding < 0) {
            throw new IllegalArgumentException("engine config: block size " + blockSize + ", blocks " + numBlocks
                    + ", max-num-seqs " + maxNumSeqs + ", max-num-batched-tokens " + maxBatchedTokens
                    + " must be positive, prefill chunk while decoding " + prefillChunkWhileDecoding + " and max waiting "
                    + maxWaiting + " non-negative");
        }
    }

    /** A configuration whose prefill chunks are bounded only by {@code maxBatchedTokens}. */
    public EngineConfig(int blockSize, int numBlocks, int maxNumSeqs, int maxBatchedTokens, int maxWaiting,
                        boolean prefixCaching) {
        this(blockSize, numBlocks, maxNumSeqs, maxBatchedTokens, 0, maxWaiting, prefixCaching);
    }
}
