package ai.tarka.engine;

/** STUB (dropped at merge): the real normalisation ops are written by another helper. */
public final class Norms {
    private Norms() {}

    /** LayerNorm over the last dimension with affine weight and bias. */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** RMSNorm over the last dimension with a weight. */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
