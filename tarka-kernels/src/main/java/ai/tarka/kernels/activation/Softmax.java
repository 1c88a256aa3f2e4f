package ai.tarka.kernels.activation;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * Row softmax over the last dimension, numerically stable (the row maximum is subtracted before
 * exponentiating). A row whose elements are all -∞ gives NaN, as in the usual definition.
 */
public final class Softmax {
    private Softmax() {}

    /** out[N,C] = softmax(inp[N,C]) along C (out may be inp). */
    public static void forward(float[] out, float[] inp, int n, int c) {
        forward(out, inp, n, c, Vec.ENABLED);
    }

    /** dinp[N,C] += out · (dout − Σ_c out·dout), where out is the saved forward output. */
    public static void backward(float[] dinp, float[] out, float[] dout, int n, int c) {
        backward(dinp, out, dout, n, c, Vec.ENABLED);
    }

    static void forward(float[] out, float[] inp, int n, int c, boolean vector) {
        ComputePool.shared().parallelFor(n, RowOps.rowGrain(c, Gelu.GRAIN), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float max = RowOps.max(inp, off, c, vector);
                float sum = RowOps.expStore(out, off, inp, off, c, max, vector);
                RowOps.scale(out, off, c, 1f / sum, vector);
            }
        });
    }

    static void backward(float[] dinp, float[] out, float[] dout, int n, int c, boolean vector) {
        ComputePool.shared().parallelFor(n, RowOps.rowGrain(c, Gelu.GRAIN), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float dot = RowOps.dot(out, off, dout, off, c, vector);
                backwardRow(dinp, out, dout, off, c, dot, vector);
            }
        });
    }

    private static void backwardRow(float[] dinp, float[] out, float[] dout, int off, int c, float dot, boolean vector) {
        int i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector y = FloatVector.fromArray(Vec.F, out, off + i);
                FloatVector g = FloatVector.fromArray(Vec.F, dout, off + i).sub(dot);
                y.fma(g, FloatVector.fromArray(Vec.F, dinp, off + i)).intoArray(dinp, off + i);
            }
        }
        for (; i < c; i++) dinp[off + i] += out[off + i] * (dout[off + i] - dot);
    }
}
