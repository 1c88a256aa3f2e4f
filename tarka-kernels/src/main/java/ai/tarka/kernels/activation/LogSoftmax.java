package ai.tarka.kernels.activation;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/** Row log-softmax over the last dimension: {@code x − max − log Σ exp(x − max)}. */
public final class LogSoftmax {
    private LogSoftmax() {}

    /** out[N,C] = logSoftmax(inp[N,C]) along C (out may be inp). */
    public static void forward(float[] out, float[] inp, int n, int c) {
        forward(out, inp, n, c, Vec.ENABLED);
    }

    /** dinp[N,C] += dout − exp(out)·Σ_c dout, where out is the saved forward output. */
    public static void backward(float[] dinp, float[] out, float[] dout, int n, int c) {
        backward(dinp, out, dout, n, c, Vec.ENABLED);
    }

    static void forward(float[] out, float[] inp, int n, int c, boolean vector) {
        ComputePool.shared().parallelFor(n, RowOps.rowGrain(c, Gelu.GRAIN), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float max = RowOps.max(inp, off, c, vector);
                float lse = max + (float) Math.log(RowOps.sumExp(inp, off, c, max, vector));
                subtract(out, inp, off, c, lse, vector);
            }
        });
    }

    static void backward(float[] dinp, float[] out, float[] dout, int n, int c, boolean vector) {
        ComputePool.shared().parallelFor(n, RowOps.rowGrain(c, Gelu.GRAIN), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c;
                float sum = RowOps.sum(dout, off, c, vector);
                backwardRow(dinp, out, dout, off, c, sum, vector);
            }
        });
    }

    private static void subtract(float[] out, float[] inp, int off, int c, float v, boolean vector) {
        int i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, inp, off + i).sub(v).intoArray(out, off + i);
            }
        }
        for (; i < c; i++) out[off + i] = inp[off + i] - v;
    }

    private static void backwardRow(float[] dinp, float[] out, float[] dout, int off, int c, float sum, boolean vector) {
        int i = 0;
        if (vector) {
            FloatVector negSum = FloatVector.broadcast(Vec.F, -sum);
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector p = FastExp.exp(FloatVector.fromArray(Vec.F, out, off + i));
                FloatVector acc = FloatVector.fromArray(Vec.F, dinp, off + i).add(FloatVector.fromArray(Vec.F, dout, off + i));
                p.fma(negSum, acc).intoArray(dinp, off + i);
            }
        }
        for (; i < c; i++) dinp[off + i] += dout[off + i] - FastExp.exp(out[off + i]) * sum;
    }
}
