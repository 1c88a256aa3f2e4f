package ai.tarka.kernels.activation;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * Applies a dropout mask. The mask holds {@code 0} for dropped elements and {@code 1/(1−p)} for kept
 * ones (inverted dropout), so forward and backward are both one multiply; the caller draws the mask
 * from its random generator so that the result depends only on the generator, not on threading.
 */
public final class Dropout {
    private Dropout() {}

    /** out[N] = inp[N] · mask[N]. */
    public static void forward(float[] out, float[] inp, float[] mask, int n) {
        forward(out, inp, mask, n, Vec.ENABLED);
    }

    /** dinp[N] += dout[N] · mask[N]. */
    public static void backward(float[] dinp, float[] dout, float[] mask, int n) {
        backward(dinp, dout, mask, n, Vec.ENABLED);
    }

    static void forward(float[] out, float[] inp, float[] mask, int n, boolean vector) {
        ComputePool.shared().parallelFor(n, Gelu.GRAIN, (s, e) -> {
            int i = s;
            if (vector) {
                for (int bound = s + Vec.F.loopBound(e - s); i < bound; i += Vec.L) {
                    FloatVector.fromArray(Vec.F, inp, i).mul(FloatVector.fromArray(Vec.F, mask, i)).intoArray(out, i);
                }
            }
            for (; i < e; i++) out[i] = inp[i] * mask[i];
        });
    }

    static void backward(float[] dinp, float[] dout, float[] mask, int n, boolean vector) {
        ComputePool.shared().parallelFor(n, Gelu.GRAIN, (s, e) -> {
            int i = s;
            if (vector) {
                for (int bound = s + Vec.F.loopBound(e - s); i < bound; i += Vec.L) {
                    FloatVector.fromArray(Vec.F, dout, i)
                            .fma(FloatVector.fromArray(Vec.F, mask, i), FloatVector.fromArray(Vec.F, dinp, i))
                            .intoArray(dinp, i);
                }
            }
            for (; i < e; i++) dinp[i] += dout[i] * mask[i];
        });
    }
}
