package ai.tarka.serve.model;

/**
 * A projection's weight {@code W[outputs × inputs]} that multiplies all token rows of a step at once:
 * {@code out[n × outputs] = x[n × inputs] · Wᵀ}. {@link PanelWeights} holds an F32 copy packed for
 * {@link PanelMatmul}; {@link QuantizedWeights} uses a quantised matrix where it lies (a mapped GGUF file).
 * Called from the engine's one step thread; implementations parallelise inside through the compute pool.
 */
public interface ProjectionWeights {
    /** m: rows of W, columns of the product. */
    int outputs();

    /** k: columns of W, the depth of the product. */
    int inputs();

    /** {@code out[n × outputs] = x[n × inputs] · Wᵀ}. */
    void multiply(float[] x, int n, float[] out);

    /** Bytes of this projection's weights that live on the Java heap (an F32 copy; 0 for weights used in place). */
    long heapBytes();
}
