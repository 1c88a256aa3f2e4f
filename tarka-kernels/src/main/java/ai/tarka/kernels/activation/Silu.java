package ai.tarka.kernels.activation;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/** SiLU (swish): {@code silu(x) = x·σ(x)}, {@code silu'(x) = σ(x)(1 + x(1 − σ(x)))}. */
public final class Silu {
    private Silu() {}

    private static final FloatVector ONE = FloatVector.broadcast(Vec.F, 1f);

    /** out[N] = silu(inp[N]). */
    public static void forward(float[] out, float[] inp, int n) {
        forward(out, inp, n, Vec.ENABLED);
    }

    /** dinp[N] += silu'(inp) · dout. */
    public static void backward(float[] dinp, float[] inp, float[] dout, int n) {
        backward(dinp, inp, dout, n, Vec.ENABLED);
    }

    static void forward(float[] out, float[] inp, int n, boolean vector) {
        ComputePool.shared().parallelFor(n, Gelu.GRAIN, (s, e) -> forwardRange(out, inp, s, e, vector));
    }

    static void backward(float[] dinp, float[] inp, float[] dout, int n, boolean vector) {
        ComputePool.shared().parallelFor(n, Gelu.GRAIN, (s, e) -> backwardRange(dinp, inp, dout, s, e, vector));
    }

    private static void forwardRange(float[] out, float[] inp, int from, int to, boolean vector) {
        int i = from;
        if (vector) {
            for (int bound = from + Vec.F.loopBound(to - from); i < bound; i += Vec.L) {
                FloatVector x = FloatVector.fromArray(Vec.F, inp, i);
                x.div(FastExp.exp(x.neg()).add(1f)).intoArray(out, i);
            }
        }
        for (; i < to; i++) {
            float x = inp[i];
            out[i] = x / (1f + FastExp.exp(-x));
        }
    }

    private static void backwardRange(float[] dinp, float[] inp, float[] dout, int from, int to, boolean vector) {
        int i = from;
        if (vector) {
            for (int bound = from + Vec.F.loopBound(to - from); i < bound; i += Vec.L) {
                FloatVector x = FloatVector.fromArray(Vec.F, inp, i);
                FloatVector s = ONE.div(FastExp.exp(x.neg()).add(1f));
                FloatVector local = ONE.sub(s).fma(x, ONE).mul(s);
                local.fma(FloatVector.fromArray(Vec.F, dout, i), FloatVector.fromArray(Vec.F, dinp, i)).intoArray(dinp, i);
            }
        }
        for (; i < to; i++) {
            float x = inp[i];
            float s = 1f / (1f + FastExp.exp(-x));
            dinp[i] += s * (1f + x * (1f - s)) * dout[i];
        }
    }
}
