package ai.tarka.engine;

/** GELU (tanh form), SiLU, SwiGLU, softmax, log-softmax and dropout. */
public final class Activations {
    private Activations() {}


    public static Tensor gelu(Tensor x) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor silu(Tensor x) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** silu(gate) * up, fused. */
    public static Tensor swiglu(Tensor gate, Tensor up) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor softmax(Tensor x, int dim) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Inverted dropout: zeroes with probability p and scales survivors by 1/(1-p); identity when not training. */
    public static Tensor dropout(Tensor x, float p, boolean training, java.util.random.RandomGenerator rng) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
