package ai.tarka.serve.model;

import ai.tarka.inference.Projection;
import ai.tarka.inference.WeightMatrix;

/**
 * A projection over a {@link WeightMatrix} used where it lies (Q8_0/Q4_0 rows in a mapped GGUF file, or any other
 * format the inference path reads), so serving a quantised model holds no F32 copy of its projections. The product is
 * tarka-inference's {@link Projection}: steps with few token rows (decode) quantise their input once and run the
 * integer row kernels, larger steps (prefill) decode bands of weight rows into per-thread tiles and run the SGEMM.
 */
public final class QuantizedWeights implements ProjectionWeights {
    private final WeightMatrix w;
    private final Projection projection;

    /**
     * @param projection the product's buffers, shared by every projection of one model (they run one after another
     *                   on the step thread): {@code new Projection(ComputePool.shared().threads())}
     */
    public QuantizedWeights(WeightMatrix w, Projection projection) {
        this.w = w;
        this.projection = projection;
    }

    /** The matrix multiplied (the very object handed in: no copy). */
    public WeightMatrix matrix() {
        return w;
    }

    @Override
    public int outputs() {
        return w.rows();
    }

    @Override
    public int inputs() {
        return w.cols();
    }

    @Override
    public long heapBytes() {
        return w.heapFloats() != null ? 4L * w.rows() * w.cols() : 0;
    }

    @Override
    public void multiply(float[] x, int n, float[] out) {
        int rows = w.rows(), cols = w.cols();
        if (n < 0 || (long) n * cols > x.length || (long) n * rows > out.length) {
            throw new IllegalArgumentException("QuantizedWeights '" + w.name() + "': x[" + n + "x" + cols + "] · W[" + rows
                    + "x" + cols + "]ᵀ does not fit arrays of " + x.length + " and " + out.length + " floats");
        }
        if (n == 0) return;
        projection.apply(w, x, n, out);
    }
}
