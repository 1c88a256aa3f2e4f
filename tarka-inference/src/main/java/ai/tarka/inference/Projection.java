package ai.tarka.inference;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.JavaSgemm;
import ai.tarka.kernels.quant.Q8Activations;

/**
 * {@code Y[n, rows] = X[n, cols] · Wᵀ} for n token rows. Few rows (decode): the row-dot kernels read each weight row
 * once for all n vectors. Many rows (prefill): each thread takes a contiguous band of weight rows, decodes it tile by
 * tile into its own float scratch (F32 weights on the heap are used directly) and runs the float GEMM on the tile,
 * so every weight is read once per block of prompt tokens and the arithmetic runs at GEMM speed. One instance holds
 * the buffers of one model's products (they run one after another); serving shares it the same way.
 */
public final class Projection {
    /** Token rows from which the tiled GEMM beats the row-dot kernels (below it, each weight row is read once and dotted with every row while in L1: drafts of a few tokens verify at almost the cost of one). */
    public static final int GEMM_MIN_ROWS = 16;
    /** Floats of one decoded weight tile per thread (1 MiB: stays in L2 while the GEMM sweeps it). */
    static final int TILE_FLOATS = 1 << 18;

    private final Gemm gemm = JavaSgemm.shared();
    private final float[][] scratch;
    /** The input of the current decode-sized product, quantised once for every matrix with an integer kernel. */
    private final Q8Activations xq = new Q8Activations();

    public Projection(int threads) {
        scratch = new float[threads][];
    }

    /** {@code y[n, rows] = x[n, cols] · Wᵀ}; y is overwritten. */
    public void apply(WeightMatrix w, float[] x, int n, float[] y) {
        int rows = w.rows(), cols = w.cols();
        if (n < GEMM_MIN_ROWS) {
            if (w.takesQ8Activations()) {
                xq.quantize(x, 0, cols, n, cols);
                ComputePool.shared().parallelFor(rows, 16, (r0, r1) -> w.matmulRows(r0, r1, xq, y, 0, rows));
            } else {
                w.matmul(x, 0, cols, n, y, 0, rows);
            }
            return;
        }
        float[] heap = w.heapFloats();
        int tileRows = Math.max(1, Math.min(rows, TILE_FLOATS / cols));
        ComputePool pool = ComputePool.shared();
        int workers = Math.max(1, Math.min(pool.threads(), rows / 16));
        pool.runWorkers(workers, (wk, ws) -> {
            int r0 = (int) ((long) rows * wk / ws), r1 = (int) ((long) rows * (wk + 1) / ws);
            if (heap != null) {
                if (r1 > r0) gemm.sgemm(false, true, n, r1 - r0, cols, 1f, x, 0, cols, heap, r0 * cols, cols, 0f, y, r0, rows);
                return;
            }
            float[] tile = scratch(wk, tileRows * cols);
            for (int t = r0; t < r1; t += tileRows) {
                int te = Math.min(r1, t + tileRows);
                w.dequantizeRows(t, te, tile, 0);
                gemm.sgemm(false, true, n, te - t, cols, 1f, x, 0, cols, tile, 0, cols, 0f, y, t, rows);
            }
        });
    }

    /**
     * Several projections of the same input (q, k, v; gate, up) in one parallel pass when there are few token rows:
     * their rows are concatenated and split over the threads together, so the step waits for its threads once
     * instead of once per matrix.
     */
    void applyAll(WeightMatrix[] ws, float[] x, int n, float[][] ys) {
        if (n >= GEMM_MIN_ROWS) {
            for (int i = 0; i < ws.length; i++) apply(ws[i], x, n, ys[i]);
            return;
        }
        int total = 0;
        for (WeightMatrix w : ws) total += w.rows();
        int cols = ws[0].cols();
        for (WeightMatrix w : ws)
            if (w.cols() != cols) throw new IllegalArgumentException("Projection.applyAll: '" + w.name() + "' has " + w.cols() + " columns, '" + ws[0].name() + "' " + cols);
        boolean quantised = false;
        for (WeightMatrix w : ws) quantised |= w.takesQ8Activations();
        if (quantised) xq.quantize(x, 0, cols, n, cols);
        ComputePool.shared().parallelFor(total, 16, (r0, r1) -> {
            int base = 0;
            for (int i = 0; i < ws.length; i++) {
                WeightMatrix w = ws[i];
                int s = Math.max(r0, base), e = Math.min(r1, base + w.rows());
                if (s < e) {
                    if (w.takesQ8Activations()) w.matmulRows(s - base, e - base, xq, ys[i], 0, w.rows());
                    else w.matmulRows(s - base, e - base, x, 0, cols, n, ys[i], 0, w.rows());
                }
                base += w.rows();
            }
        });
    }

    private float[] scratch(int worker, int floats) {
        float[] s = scratch[worker];
        if (s == null || s.length < floats) scratch[worker] = s = new float[floats];
        return s;
    }
}
