package ai.tarka.kernels.optim;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stochastic gradient descent with L2 weight decay, momentum, dampening and Nesterov momentum over
 * one contiguous run of a flat parameter buffer (the PyTorch formulation):
 * <pre>
 *   d ← g + wd·p
 *   b ← d                       on the first step (no dampening then)
 *   b ← μ·b + (1−τ)·d           afterwards
 *   d ← d + μ·b  (Nesterov)  or  d ← b
 *   p ← p − lr·d
 * </pre>
 * Vector and scalar paths perform the same float operations and are bit-identical.
 */
public final class SgdKernel {
    private SgdKernel() {}

    /** Plain SGD (no momentum): {@code p ← p − lr·(g + wd·p)}. */
    public static void update(float[] p, int pOff, float[] g, int gOff, int n, float lr, float weightDecay) {
        checkRange("SgdKernel.update", p, pOff, g, gOff, null, 0, n);
        int i = 0;
        if (Vec.ENABLED) {
            VectorSpecies<Float> f = Vec.F;
            int bound = f.loopBound(n);
            FloatVector vwd = FloatVector.broadcast(f, weightDecay);
            FloatVector vneg = FloatVector.broadcast(f, -lr);
            for (; i < bound; i += f.length()) {
                FloatVector pv = FloatVector.fromArray(f, p, pOff + i);
                FloatVector d = pv.fma(vwd, FloatVector.fromArray(f, g, gOff + i));
                d.fma(vneg, pv).intoArray(p, pOff + i);
            }
        }
        updateScalar(p, pOff + i, g, gOff + i, n - i, lr, weightDecay);
    }

    public static void updateScalar(float[] p, int pOff, float[] g, int gOff, int n, float lr, float weightDecay) {
        float neg = -lr;
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float d = Math.fma(pi, weightDecay, g[gOff + i]);
            p[pOff + i] = Math.fma(d, neg, pi);
        }
    }

    /**
     * SGD with a momentum buffer {@code b[bOff..)}; {@code first} marks the first step, which
     * initialises the buffer with the (decayed) gradient.
     */
    public static void updateMomentum(float[] p, int pOff, float[] g, int gOff, float[] b, int bOff, int n,
                                      float lr, float weightDecay, float momentum, float dampening,
                                      boolean nesterov, boolean first) {
        checkRange("SgdKernel.updateMomentum", p, pOff, g, gOff, b, bOff, n);
        int i = 0;
        if (Vec.ENABLED) {
            VectorSpecies<Float> f = Vec.F;
            int bound = f.loopBound(n);
            FloatVector vwd = FloatVector.broadcast(f, weightDecay);
            FloatVector vneg = FloatVector.broadcast(f, -lr);
            FloatVector vmu = FloatVector.broadcast(f, momentum);
            FloatVector vdamp = FloatVector.broadcast(f, 1f - dampening);
            for (; i < bound; i += f.length()) {
                FloatVector pv = FloatVector.fromArray(f, p, pOff + i);
                FloatVector d = pv.fma(vwd, FloatVector.fromArray(f, g, gOff + i));
                FloatVector bv = first ? d : FloatVector.fromArray(f, b, bOff + i).fma(vmu, d.mul(vdamp));
                bv.intoArray(b, bOff + i);
                FloatVector step = nesterov ? bv.fma(vmu, d) : bv;
                step.fma(vneg, pv).intoArray(p, pOff + i);
            }
        }
        updateMomentumScalar(p, pOff + i, g, gOff + i, b, bOff + i, n - i,
                lr, weightDecay, momentum, dampening, nesterov, first);
    }

    public static void updateMomentumScalar(float[] p, int pOff, float[] g, int gOff, float[] b, int bOff, int n,
                                            float lr, float weightDecay, float momentum, float dampening,
                                            boolean nesterov, boolean first) {
        float neg = -lr, keep = 1f - dampening;
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float d = Math.fma(pi, weightDecay, g[gOff + i]);
            float bi = first ? d : Math.fma(b[bOff + i], momentum, d * keep);
            b[bOff + i] = bi;
            float step = nesterov ? Math.fma(bi, momentum, d) : bi;
            p[pOff + i] = Math.fma(step, neg, pi);
        }
    }

    private static void checkRange(String op, float[] p, int pOff, float[] g, int gOff, float[] b, int bOff, int n) {
        boolean bad = n < 0 || pOff < 0 || gOff < 0 || bOff < 0 || pOff + n > p.length || gOff + n > g.length
                || (b != null && bOff + n > b.length);
        if (bad) {
            throw new IllegalArgumentException(op + ": run of " + n + " at param offset " + pOff + ", grad offset "
                    + gOff + ", buffer offset " + bOff + " outside arrays of " + p.length + ", " + g.length
                    + (b != null ? ", " + b.length : "") + " floats");
        }
    }
}
