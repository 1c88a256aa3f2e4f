package ai.tarka.nn.integration;

import ai.tarka.engine.Losses;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;

/** A tiny causal language model of the test tree: token rows in, logits {@code [B, T, V]} out. */
abstract class TinyLm extends Module {

    abstract TinyConfig config();

    abstract Tensor logits(TokenBatch batch);

    /** Mean cross-entropy over the batch's trained targets. */
    Tensor loss(TokenBatch batch) {
        return Losses.crossEntropy(logits(batch), batch.targets(), TokenBatch.IGNORE);
    }

    /** {@code h [B, T, C]} times the embedding matrix (tied) or the head's own weight, as logits. */
    static Tensor head(Tensor h, Tensor weight) {
        int[] s = h.shape();
        return h.reshape(-1, s[2]).matmul(weight.t()).reshape(s[0], s[1], weight.size(0));
    }
}
