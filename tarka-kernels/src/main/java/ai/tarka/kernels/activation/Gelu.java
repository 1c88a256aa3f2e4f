package ai.tarka.kernels.activation;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * GELU, tanh approximation: {@code gelu(x) = x/2 · (1 + tanh(u))}, {@code u = √(2/π)(x + 0.044715x³)}.
 * Since {@code (1 + tanh u)/2 = σ(2u)}, both directions need one exp and one division per element:
 * {@code gelu(x) = x·σ(2u)} and {@code gelu'(x) = σ(2u) + x·σ(2u)(1 − σ(2u))·2u'}.
 */
public final class Gelu {
    private Gelu() {}

    private static final float TWO_K = (float) (2 * Math.sqrt(2 / Math.PI));
    private static final float TWO_KA = (float) (2 * Math.sqrt(2 / Math.PI) * 0.044715);
    private static final float TWO_K3A = 3 * TWO_KA;
    private static final FloatVector ONE = FloatVector.broadcast(Vec.F, 1f);
    static final int GRAIN = 1 << 14;

    /** out[N] = gelu(inp[N]). */
    public static void forward(float[] out, float[] inp, int n) {
        forward(out, inp, n, Vec.ENABLED);
    }

    /** dinp[N] += gelu'(inp) · dout. */
    public static void backward(float[] dinp, float[] inp, float[] dout, int n) {
        backward(dinp, inp, dout, n, Vec.ENABLED);
    }

    static void forward(float[] out, float[] inp, int n, boolean vector) {
        ComputePool.shared().parallelFor(n, GRAIN, (s, e) -> forwardRange(out, inp, s, e, vector));
    }

    static void backward(float[] dinp, float[] inp, float[] dout, int n, boolean vector) {
        ComputePool.shared().parallelFor(n, GRAIN, (s, e) -> backwardRange(dinp, inp, dout, s, e, vector));
    }

    private static void forwardRange(float[] out, float[] inp, int from, int to, boolean vector) {
        int i = from;
        if (vector) {
            for (int bound = from + Vec.F.loopBound(to - from); i < bound; i += Vec.L) {
                FloatVector x = FloatVector.fromArray(Vec.F, inp, i);
                FloatVector twoU = x.mul(x).fma(TWO_KA, TWO_K).mul(x);
                x.div(FastExp.exp(twoU.neg()).add(1f)).intoArray(out, i);
            }
        }
        for (; i < to; i++) {
            float x = inp[i];
            float twoU = x * (TWO_K + TWO_KA * x * x);
            out[i] = x / (1f + FastExp.exp(-twoU));
        }
    }

    private static void backwardRange(float[] dinp, float[] inp, float[] dout, int from, int to, boolean vector) {
        int i = from;
        if (vector) {
            for (int bound = from + Vec.F.loopBound(to - from); i < bound; i += Vec.L) {
                FloatVector x = FloatVector.fromArray(Vec.F, inp, i);
                FloatVector x2 = x.mul(x);
                FloatVector twoU = x2.fma(TWO_KA, TWO_K).mul(x);
                FloatVector s = ONE.div(FastExp.exp(twoU.neg()).add(1f));
                FloatVector dTwoU = x2.fma(TWO_K3A, TWO_K);
                // σ + x·σ(1−σ)·(2u)'
                FloatVector local = s.neg().add(1f).mul(s).mul(x).fma(dTwoU, s);
                local.fma(FloatVector.fromArray(Vec.F, dout, i), FloatVector.fromArray(Vec.F, dinp, i)).intoArray(dinp, i);
            }
        }
        for (; i < to; i++) {
            float x = inp[i];
            float twoU = x * (TWO_K + TWO_KA * x * x);
            float s = 1f / (1f + FastExp.exp(-twoU));
            float local = s + x * s * (1f - s) * (TWO_K + TWO_K3A * x * x);
            dinp[i] += local * dout[i];
        }
    }
}
