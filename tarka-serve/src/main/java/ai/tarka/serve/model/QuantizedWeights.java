package ai.tarka.serve.model;

import ai.tarka.inference.WeightMatrix;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.gemm.Gemms;
import ai.tarka.kernels.quant.Q8Activations;

/**
 * A projection over a {@link WeightMatrix} used where it lies (Q8_0/Q4_0 rows in a mapped GGUF file, or any other
 * format the inference path reads), so serving a quantised model holds no F32 copy of its projections. Steps with few
 * token rows (decode) quantise their input once into {@link Q8Activations} and run the integer row kernels, each
 * weight row read once for every token; larger steps (prefill) decode bands of weight rows tile by tile into a
 * per-thread float scratch and run the SGEMM on each tile, as tarka-inference's decode and prefill do.
 */
public final class QuantizedWeights implements ProjectionWeights {
    /** Token rows from which dequantised tiles + SGEMM beat the row kernels (tarka-inference's threshold). */
    static final int GEMM_MIN_ROWS = 16;
    /** Floats of one decoded tile per thread (1 MiB: stays in L2 while the GEMM sweeps it). */
    static final int TILE_FLOATS = 1 << 18;

    private final WeightMatrix w;
    private final Scratch scratch;

    /**
     * Buffers shared by every projection of one model (they run one after another on the step thread): the quantised
     * input of the current product and each worker's decoded tile.
     */
    public static final class Scratch {
        final Q8Activations xq = new Q8Activations();
        final float[][] tiles = new float[ComputePool.shared().threads()][];

        float[] tile(int worker, int floats) {
            float[] t = tiles[worker];
            if (t == null || t.length < floats) tiles[worker] = t = new float[floats];
            return t;
        }
    }

    public QuantizedWeights(WeightMatrix w, Scratch scratch) {
        this.w = w;
        this.scratch = scratch;
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
        ComputePool pool = ComputePool.shared();
        if (n < GEMM_MIN_ROWS) {
            if (w.takesQ8Activations()) {
                Q8Activations xq = scratch.xq;
                xq.quantize(x, 0, cols, n, cols);
                pool.parallelFor(rows, 16, (r0, r1) -> w.matmulRows(r0, r1, xq, out, 0, rows));
            } else {
                pool.parallelFor(rows, 16, (r0, r1) -> w.matmulRows(r0, r1, x, 0, cols, n, out, 0, rows));
            }
            return;
        }
        float[] heap = w.heapFloats();
        int tileRows = Math.max(1, Math.min(rows, TILE_FLOATS / cols));
        int workers = Math.max(1, Math.min(pool.threads(), rows / 16));
        pool.runWorkers(workers, (wk, ws) -> {
            int r0 = (int) ((long) rows * wk / ws), r1 = (int) ((long) rows * (wk + 1) / ws);
            if (r1 <= r0) return;
            if (heap != null) {
                Gemms.get().sgemm(false, true, n, r1 - r0, cols, 1f, x, 0, cols, heap, r0 * cols, cols, 0f, out, r0, rows);
                return;
            }
            float[] tile = scratch.tile(wk, tileRows * cols);
            for (int t = r0; t < r1; t += tileRows) {
                int te = Math.min(r1, t + tileRows);
                w.dequantizeRows(t, te, tile, 0);
                Gemms.get().sgemm(false, true, n, te - t, cols, 1f, x, 0, cols, tile, 0, cols, 0f, out, t, rows);
            }
        });
    }
}
