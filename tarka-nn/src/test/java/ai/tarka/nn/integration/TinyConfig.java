package ai.tarka.nn.integration;

/**
 * Sizes of a tiny test transformer. {@code headDim} is independent of {@code dim} (the q/k/v
 * projections map C to heads·D), so a model with C = 8 and four heads can still have D = 4.
 *
 * @param kvHeads key/value heads: equal to {@code heads} for GPT-2, fewer for grouped-query attention
 * @param hidden  width of the MLP's inner layer
 * @param tied    whether the LM head reuses the token embedding matrix
 */
record TinyConfig(int vocab, int dim, int layers, int heads, int kvHeads, int headDim, int hidden,
                  int maxPositions, boolean tied) {

    TinyConfig {
        if (heads % kvHeads != 0) throw new IllegalArgumentException("heads " + heads + " not a multiple of kvHeads " + kvHeads);
    }

    /** A GPT-2 shape: C split evenly over the heads, MLP 4·C. */
    static TinyConfig gpt(int vocab, int dim, int layers, int heads, int maxPositions, boolean tied) {
        return new TinyConfig(vocab, dim, layers, heads, heads, dim / heads, 4 * dim, maxPositions, tied);
    }
}
