package ai.tarka.models;

import ai.tarka.engine.Tensor;

/** The output projection shared by the decoders. */
final class LmHead {
    private LmHead() {}

    /** {@code h [B, T, C]} times {@code weight [V, C]} transposed: logits {@code [B, T, V]}. */
    static Tensor logits(Tensor h, Tensor weight) {
        int b = h.size(0), t = h.size(1), c = h.size(2);
        return h.reshape(b * t, c).matmul(weight.t()).reshape(b, t, weight.size(0));
    }

    /** Checks a token batch's size before any work. */
    static void checkTokens(int[] tokens, int batch, int seqLen, int vocab) {
        if (batch <= 0 || seqLen <= 0 || tokens.length != batch * seqLen) {
            throw new IllegalArgumentException("forward: " + tokens.length + " tokens for batch " + batch + " x seqLen " + seqLen);
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new IllegalArgumentException("forward: token " + tokens[i] + " at index " + i + " outside [0, " + vocab + ")");
            }
        }
    }
}
