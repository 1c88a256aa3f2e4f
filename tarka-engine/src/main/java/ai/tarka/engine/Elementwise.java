package ai.tarka.engine;

/** Elementwise arithmetic and math functions with numpy broadcasting, forward and backward. */
public final class Elementwise {
    private Elementwise() {}


    public static Tensor add(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor sub(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor mul(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor div(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor addScalar(Tensor a, float s) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor mulScalar(Tensor a, float s) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor exp(Tensor a) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor log(Tensor a) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor sqrt(Tensor a) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor pow(Tensor a, float p) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Tensor tanh(Tensor a) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
