package ai.tarka.kernels.activation;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * SwiGLU gating, {@code out = silu(gate) · up}, in one pass over both inputs (the unfused form writes
 * and rereads the silu result). Backward: {@code dgate += dout·up·σ(g)(1 + g(1 − σ(g)))},
 * {@code dup += dout·g·σ(g)}.
 */
public final class SwiGlu {
    private SwiGlu() {}

    private static final FloatVector ONE = FloatVector.broadcast(Vec.F, 1f);

    /** out[N] = silu(gate[N]) · up[N]. */
    public static void forward(float[] out, float[] gate, float[] up, int n) {
        forward(out, gate, up, n, Vec.ENABLED);
    }

    /** dgate[N] += ∂out/∂gate · dout, dup[N] += silu(gate) · dout; either gradient may be null (not wanted). */
    public static void backward(float[] dgate, float[] dup, float[] gate, float[] up, float[] dout, int n) {
        backward(dgate, dup, gate, up, dout, n, Vec.ENABLED);
    }

    static void forward(float[] out, float[] gate, float[] up, int n, boolean vector) {
        ComputePool.shared().parallelFor(n, Gelu.GRAIN, (s, e) -> forwardRange(out, gate, up, s, e, vector));
    }

    static void backward(float[] dgate, float[] dup, float[] gate, float[] up, float[] dout, int n, boolean vector) {
        ComputePool.shared().parallelFor(n, Gelu.GRAIN, (s, e) -> {
            if (dgate != null && dup != null) backwardBoth(dgate, dup, gate, up, dout, s, e, vector);
            else if (dgate != null) backwardGate(dgate, gate, up, dout, s, e, vector);
            else if (dup != null) backwardUp(dup, gate, dout, s, e, vector);
        });
    }

    private static void forwardRange(float[] out, float[] gate, float[] up, int from, int to, boolean vector) {
        int i = from;
        if (vector) {
            for (int bound = from + Vec.F.loopBound(to - from); i < bound; i += Vec.L) {
                FloatVector g = FloatVector.fromArray(Vec.F, gate, i);
                FloatVector u = FloatVector.fromArray(Vec.F, up, i);
                g.mul(u).div(FastExp.exp(g.neg()).add(1f)).intoArray(out, i);
            }
        }
        for (; i < to; i++) {
            float g = gate[i];
            out[i] = g * up[i] / (1f + FastExp.exp(-g));
        }
    }

    private static void backwardBoth(float[] dgate, float[] dup, float[] gate, float[] up, float[] dout,
                                     int from, int to, boolean vector) {
        int i = from;
        if (vector) {
            for (int bound = from + Vec.F.loopBound(to - from); i < bound; i += Vec.L) {
                FloatVector g = FloatVector.fromArray(Vec.F, gate, i);
                FloatVector d = FloatVector.fromArray(Vec.F, dout, i);
                FloatVector s = ONE.div(FastExp.exp(g.neg()).add(1f));
                FloatVector gs = g.mul(s);
                FloatVector dsilu = ONE.sub(s).fma(g, ONE).mul(s);
                FloatVector du = d.mul(FloatVector.fromArray(Vec.F, up, i));
                dsilu.fma(du, FloatVector.fromArray(Vec.F, dgate, i)).intoArray(dgate, i);
                gs.fma(d, FloatVector.fromArray(Vec.F, dup, i)).intoArray(dup, i);
            }
        }
        for (; i < to; i++) {
            float g = gate[i];
            float s = 1f / (1f + FastExp.exp(-g));
            dgate[i] += s * (1f + g * (1f - s)) * (dout[i] * up[i]);
            dup[i] += g * s * dout[i];
        }
    }

    private static void backwardGate(float[] dgate, float[] gate, float[] up, float[] dout, int from, int to, boolean vector) {
        int i = from;
        if (vector) {
            for (int bound = from + Vec.F.loopBound(to - from); i < bound; i += Vec.L) {
                FloatVector g = FloatVector.fromArray(Vec.F, gate, i);
                FloatVector s = ONE.div(FastExp.exp(g.neg()).add(1f));
                FloatVector dsilu = ONE.sub(s).fma(g, ONE).mul(s);
                FloatVector du = FloatVector.fromArray(Vec.F, dout, i).mul(FloatVector.fromArray(Vec.F, up, i));
                dsilu.fma(du, FloatVector.fromArray(Vec.F, dgate, i)).intoArray(dgate, i);
            }
        }
        for (; i < to; i++) {
            float g = gate[i];
            float s = 1f / (1f + FastExp.exp(-g));
            dgate[i] += s * (1f + g * (1f - s)) * (dout[i] * up[i]);
        }
    }

    private static void backwardUp(float[] dup, float[] gate, float[] dout, int from, int to, boolean vector) {
        int i = from;
        if (vector) {
            for (int bound = from + Vec.F.loopBound(to - from); i < bound; i += Vec.L) {
                FloatVector g = FloatVector.fromArray(Vec.F, gate, i);
                FloatVector gs = g.div(FastExp.exp(g.neg()).add(1f));
                gs.fma(FloatVector.fromArray(Vec.F, dout, i), FloatVector.fromArray(Vec.F, dup, i)).intoArray(dup, i);
            }
        }
        for (; i < to; i++) {
            float g = gate[i];
            dup[i] += g / (1f + FastExp.exp(-g)) * dout[i];
        }
    }
}
