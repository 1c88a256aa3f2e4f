package ai.tarka.serve.model;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.gemm.SgemmMicroKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code out[n×m] = x[n×k] · Wᵀ} against {@link PanelWeights}, for any number of token rows: panels are split over
 * the compute pool, and each panel (k × NR floats) is read from memory once and reused from L1/L2 for every
 * 3-row tile of {@code x} ({@link SgemmMicroKernels#vector3x3}, whose B micro-panels have the layout of
 * {@link PanelWeights}). The tile keeps 3 rows × 3 vectors of accumulators in registers and does 9 FMAs per
 * 3 vector loads and 3 broadcasts, so a 16-row decode step is compute-bound where a dot-product kernel (one
 * horizontal reduction per output) is not. Rows are taken in blocks so that prefill chunks keep their block of
 * {@code x} in L2 while panels stream past. How an output is summed depends only on its row's place in the 3-row
 * tiling (never on the thread count), so results are deterministic for a given step.
 */
public final class PanelMatmul {
    private PanelMatmul() {}

    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;
    private static final int NR = PanelWeights.NR;
    /** Token rows whose {@code x} block stays in L2 while every panel of a thread's range passes. */
    private static final int ROW_BLOCK = 48;

    public static void multiply(float[] x, int n, PanelWeights w, float[] out) {
        multiply(x, n, w, out, Vec.ENABLED);
    }

    static void multiply(float[] x, int n, PanelWeights w, float[] out, boolean vector) {
        int m = w.outputs(), k = w.inputs();
        if (n < 0 || (long) n * k > x.length || (long) n * m > out.length) {
            throw new IllegalArgumentException("PanelMatmul: x[" + n + "x" + k + "] · W[" + m + "x" + k + "]ᵀ does not "
                    + "fit arrays of " + x.length + " and " + out.length + " floats");
        }
        if (n == 0) return;
        float[] panels = w.panels();
        int full = m / NR, numPanels = w.numPanels();
        int grain = Math.max(1, 32768 / (n * k * NR / 16 + 1));
        ComputePool.shared().parallelFor(numPanels, grain, (from, to) -> {
            for (int r0 = 0; r0 < n; r0 += ROW_BLOCK) {
                int r1 = Math.min(n, r0 + ROW_BLOCK);
                for (int j = from; j < to; j++) {
                    int b0 = j * k * NR, col = j * NR;
                    if (!vector || j >= full) {
                        edgePanel(x, r0, r1, k, panels, b0, out, m, col);
                        continue;
                    }
                    int i = r0;
                    // three rows: the SGEMM's own register tile (its panels have this layout), storing into out
                    for (; i + 3 <= r1; i += 3) SgemmMicroKernels.vector3x3(k, x, i * k, k, panels, b0, out, i * m + col, m, false);
                    if (r1 - i == 2) tile2(x, i * k, k, panels, b0, out, i * m + col, m);
                    else if (r1 - i == 1) tile1(x, i * k, k, panels, b0, out, i * m + col);
                }
            }
        });
    }

    private static void tile2(float[] x, int a0, int k, float[] bp, int b0, float[] out, int o0, int m) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F);
        int a1 = a0 + k;
        for (int p = 0; p < k; p++) {
            int bi = b0 + p * NR;
            FloatVector w0 = FloatVector.fromArray(F, bp, bi);
            FloatVector w1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector w2 = FloatVector.fromArray(F, bp, bi + 2 * L);
            FloatVector av = FloatVector.broadcast(F, x[a0 + p]);
            c00 = av.fma(w0, c00);
            c01 = av.fma(w1, c01);
            c02 = av.fma(w2, c02);
            av = FloatVector.broadcast(F, x[a1 + p]);
            c10 = av.fma(w0, c10);
            c11 = av.fma(w1, c11);
            c12 = av.fma(w2, c12);
        }
        int o1 = o0 + m;
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + L);
        c02.intoArray(out, o0 + 2 * L);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + L);
        c12.intoArray(out, o1 + 2 * L);
    }

    /**
     * One token row (a single-stream decode, or the row left over from 3-row tiles): even and odd depths go to two
     * sets of three accumulators, so six FMA chains instead of three hide the FMA latency.
     */
    private static void tile1(float[] x, int a0, int k, float[] bp, int b0, float[] out, int o0) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F);
        FloatVector d00 = FloatVector.zero(F), d01 = FloatVector.zero(F), d02 = FloatVector.zero(F);
        int p = 0;
        for (; p + 2 <= k; p += 2) {
            int bi = b0 + p * NR;
            FloatVector av = FloatVector.broadcast(F, x[a0 + p]);
            c00 = av.fma(FloatVector.fromArray(F, bp, bi), c00);
            c01 = av.fma(FloatVector.fromArray(F, bp, bi + L), c01);
            c02 = av.fma(FloatVector.fromArray(F, bp, bi + 2 * L), c02);
            FloatVector bv = FloatVector.broadcast(F, x[a0 + p + 1]);
            d00 = bv.fma(FloatVector.fromArray(F, bp, bi + NR), d00);
            d01 = bv.fma(FloatVector.fromArray(F, bp, bi + NR + L), d01);
            d02 = bv.fma(FloatVector.fromArray(F, bp, bi + NR + 2 * L), d02);
        }
        if (p < k) {
            int bi = b0 + p * NR;
            FloatVector av = FloatVector.broadcast(F, x[a0 + p]);
            c00 = av.fma(FloatVector.fromArray(F, bp, bi), c00);
            c01 = av.fma(FloatVector.fromArray(F, bp, bi + L), c01);
            c02 = av.fma(FloatVector.fromArray(F, bp, bi + 2 * L), c02);
        }
        c00.add(d00).intoArray(out, o0);
        c01.add(d01).intoArray(out, o0 + L);
        c02.add(d02).intoArray(out, o0 + 2 * L);
    }

    /**
     * Rows {@code [r0, r1)} against panel {@code b0} in scalar code, writing only the outputs below {@code m}: the
     * zero-padded last panel, and every panel when vectors are off.
     */
    private static void edgePanel(float[] x, int r0, int r1, int k, float[] bp, int b0, float[] out, int m, int col) {
        int width = Math.min(NR, m - col);
        for (int i = r0; i < r1; i++) {
            for (int c = 0; c < width; c++) {
                float s = 0;
                for (int p = 0; p < k; p++) s += x[i * k + p] * bp[b0 + p * NR + c];
                out[i * m + col + c] = s;
            }
        }
    }
}
