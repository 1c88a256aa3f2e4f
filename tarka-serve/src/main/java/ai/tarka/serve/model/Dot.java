package ai.tarka.serve.model;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** The vectorised dot product behind attention scores and LoRA's down-projection. */
final class Dot {
    private Dot() {}

    /** {@code a[aOff, aOff+n) · b[bOff, bOff+n)}, vectorised unless {@code vector} is false. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n, boolean vector) {
        return vector ? dot(a, aOff, b, bOff, n) : dotScalar(a, aOff, b, bOff, n);
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int bound = Vec.F.loopBound(n);
        int i = 0;
        float s = 0;
        if (bound > 0 && Vec.ENABLED) {
            FloatVector acc0 = FloatVector.zero(Vec.F), acc1 = FloatVector.zero(Vec.F);
            for (; i + 2 * Vec.L <= bound; i += 2 * Vec.L) {
                acc0 = FloatVector.fromArray(Vec.F, a, aOff + i).fma(FloatVector.fromArray(Vec.F, b, bOff + i), acc0);
                acc1 = FloatVector.fromArray(Vec.F, a, aOff + i + Vec.L).fma(FloatVector.fromArray(Vec.F, b, bOff + i + Vec.L), acc1);
            }
            for (; i < bound; i += Vec.L) {
                acc0 = FloatVector.fromArray(Vec.F, a, aOff + i).fma(FloatVector.fromArray(Vec.F, b, bOff + i), acc0);
            }
            s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    private static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }
}
