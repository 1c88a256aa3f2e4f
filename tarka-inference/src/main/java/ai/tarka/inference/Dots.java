package ai.tarka.inference;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/** Short float-array loops of the forward pass (head-sized dots, axpy, RMS norm), vectorised with a scalar tail. */
final class Dots {
    private Dots() {}

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float s = 0;
        if (Vec.ENABLED && n >= Vec.L) {
            int l = Vec.L;
            FloatVector a0 = FloatVector.zero(Vec.F), a1 = a0;
            for (; i + 2 * l <= n; i += 2 * l) {
                a0 = FloatVector.fromArray(Vec.F, a, ao + i).fma(FloatVector.fromArray(Vec.F, b, bo + i), a0);
                a1 = FloatVector.fromArray(Vec.F, a, ao + i + l).fma(FloatVector.fromArray(Vec.F, b, bo + i + l), a1);
            }
            for (; i + l <= n; i += l) a0 = FloatVector.fromArray(Vec.F, a, ao + i).fma(FloatVector.fromArray(Vec.F, b, bo + i), a0);
            s = Vec.sum(a0.add(a1));
        }
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** y[yo..+n] += a · x[xo..+n]. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        if (Vec.ENABLED && n >= Vec.L) {
            FloatVector av = FloatVector.broadcast(Vec.F, a);
            for (; i + Vec.L <= n; i += Vec.L)
                FloatVector.fromArray(Vec.F, x, xo + i).fma(av, FloatVector.fromArray(Vec.F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += a * x[xo + i];
    }

    /** out[oo..+n] = x·w / rms(x), rms over n values plus eps. */
    static void rmsNorm(float[] x, int xo, float[] w, float eps, float[] out, int oo, int n) {
        float ss = dot(x, xo, x, xo, n);
        float r = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] * r * w[i];
    }
}
