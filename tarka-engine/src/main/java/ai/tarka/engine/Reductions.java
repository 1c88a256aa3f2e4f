package ai.tarka.engine;

/** Sum, mean and max reductions, and the sum-to-shape that broadcasting backward needs. */
public final class Reductions {
    private Reductions() {}


    /** Sum of all elements, shape []. */
    public static Tensor sum(Tensor a) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor sum(Tensor a, int dim, boolean keepDim) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor mean(Tensor a) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor mean(Tensor a, int dim, boolean keepDim) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Max along dim; the gradient flows to the first maximal element. */
    public static Tensor max(Tensor a, int dim, boolean keepDim) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor max(Tensor a) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Sums a broadcast gradient back down to {@code shape} (the inverse of broadcasting). */
    public static Tensor sumTo(Tensor g, int[] shape) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
