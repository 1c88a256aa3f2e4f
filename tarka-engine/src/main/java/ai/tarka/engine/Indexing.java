package ai.tarka.engine;

/** STUB (dropped at merge): the real embedding gather is written by another helper. */
public final class Indexing {
    private Indexing() {}

    /** Rows {@code weight[ids[i]]}, shaped {@code idsShape + [C]}; the gradient scatters back into weight. */
    public static Tensor embedding(Tensor weight, int[] ids, int... idsShape) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
