package ai.tarka.inference;

import ai.tarka.models.ModelConfig;

/**
 * Every buffer one forward step needs, allocated once for up to {@code maxTokens} token rows: a step allocates nothing.
 * Row-major {@code [tokens, width]} arrays; {@code scores} holds one attention row per thread.
 */
final class Workspace {
    final int maxTokens;
    final float[] x, xb, q, k, v, att, proj, gate, up, logitsIn, logits;
    final float[][] scores;

    Workspace(ModelConfig c, int maxTokens, int context, int threads) {
        this.maxTokens = maxTokens;
        int dim = c.hiddenSize(), qDim = c.numHeads() * c.headDim(), kv = c.numKvHeads() * c.headDim();
        x = new float[maxTokens * dim];
        xb = new float[maxTokens * dim];
        q = new float[maxTokens * qDim];
        k = new float[maxTokens * kv];
        v = new float[maxTokens * kv];
        att = new float[maxTokens * qDim];
        proj = new float[maxTokens * dim];
        gate = new float[maxTokens * c.intermediateSize()];
        up = new float[maxTokens * c.intermediateSize()];
        logitsIn = new float[maxTokens * dim];
        logits = new float[maxTokens * c.vocabSize()];
        scores = new float[threads][context];
    }
}
