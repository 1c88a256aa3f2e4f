package ai.tarka.kernels.optim;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The AdamW update over one contiguous run of a flat parameter buffer: decoupled weight decay,
 * moment updates and the bias-corrected step, fused so each element is read and written once.
 *
 * <p>Per element, with the step-dependent scalars precomputed in double by the caller:
 * <pre>
 *   p ← p · decay                       decay    = 1 − lr·wd
 *   m ← β1·m + (1−β1)·g
 *   v ← β2·v + (1−β2)·g²
 *   p ← p − stepSize · m / (√v · invSqrtBc2 + ε)   stepSize = lr / (1−β1^t), invSqrtBc2 = 1/√(1−β2^t)
 * </pre>
 * The vector and scalar paths perform the same float operations in the same order (fused
 * multiply-adds included), so they produce bit-identical results.
 */
public final class AdamWKernel {
    private AdamWKernel() {}

    /**
     * Updates {@code p[pOff..pOff+n)} from gradients {@code g[gOff..)} and moments
     * {@code m[mOff..)}, {@code v[mOff..)} in place.
     */
    public static void update(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int mOff, int n,
                              float beta1, float beta2, float eps, float stepSize, float invSqrtBc2, float decay) {
        checkRange(p, pOff, g, gOff, m, v, mOff, n);
        int i = 0;
        if (Vec.ENABLED) {
            VectorSpecies<Float> f = Vec.F;
            int bound = f.loopBound(n);
            FloatVector vb1 = FloatVector.broadcast(f, beta1);
            FloatVector vb2 = FloatVector.broadcast(f, beta2);
            FloatVector vomb1 = FloatVector.broadcast(f, 1f - beta1);
            FloatVector vomb2 = FloatVector.broadcast(f, 1f - beta2);
            FloatVector veps = FloatVector.broadcast(f, eps);
            FloatVector vnegStep = FloatVector.broadcast(f, -stepSize);
            FloatVector vinv = FloatVector.broadcast(f, invSqrtBc2);
            FloatVector vdecay = FloatVector.broadcast(f, decay);
            for (; i < bound; i += f.length()) {
                FloatVector gv = FloatVector.fromArray(f, g, gOff + i);
                FloatVector pv = FloatVector.fromArray(f, p, pOff + i).mul(vdecay);
                FloatVector mv = FloatVector.fromArray(f, m, mOff + i).fma(vb1, gv.mul(vomb1));
                FloatVector vv = FloatVector.fromArray(f, v, mOff + i).fma(vb2, gv.mul(gv).mul(vomb2));
                mv.intoArray(m, mOff + i);
                vv.intoArray(v, mOff + i);
                FloatVector denom = vv.sqrt().fma(vinv, veps);
                mv.div(denom).fma(vnegStep, pv).intoArray(p, pOff + i);
            }
        }
        updateScalar(p, pOff + i, g, gOff + i, m, v, mOff + i, n - i,
                beta1, beta2, eps, stepSize, invSqrtBc2, decay);
    }

    /** The scalar path (also the loop tail); public so tests can compare it with the vector path. */
    public static void updateScalar(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int mOff, int n,
                                    float beta1, float beta2, float eps, float stepSize, float invSqrtBc2, float decay) {
        float omb1 = 1f - beta1, omb2 = 1f - beta2, negStep = -stepSize;
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float pi = p[pOff + i] * decay;
            float mi = Math.fma(m[mOff + i], beta1, gi * omb1);
            float vi = Math.fma(v[mOff + i], beta2, gi * gi * omb2);
            m[mOff + i] = mi;
            v[mOff + i] = vi;
            float denom = Math.fma((float) Math.sqrt(vi), invSqrtBc2, eps);
            p[pOff + i] = Math.fma(mi / denom, negStep, pi);
        }
    }

    private static void checkRange(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int mOff, int n) {
        if (n < 0 || pOff < 0 || gOff < 0 || mOff < 0 || pOff + n > p.length || gOff + n > g.length
                || mOff + n > m.length || mOff + n > v.length) {
            throw new IllegalArgumentException("AdamWKernel.update: run of " + n + " at param offset " + pOff
                    + ", grad offset " + gOff + ", moment offset " + mOff + " outside arrays of " + p.length + ", "
                    + g.length + ", " + m.length + ", " + v.length + " floats");
        }
    }
}
