package ai.tarka.kernels.rope;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * Rotary position embedding on {@code [B, H, T, D]} activations. Each pair of channels is rotated by
 * the angle {@code pos·θ_i}; the backward pass rotates the gradient by the opposite angle (a rotation's
 * transpose is its inverse).
 *
 * <p>Two pairings are supported: HALF pairs {@code (i, i + D/2)} (the Hugging Face "rotate_half"
 * layout) and INTERLEAVED pairs {@code (2i, 2i+1)} (Meta / llama2.c). The input may be a strided view
 * (strides sB, sH, sT, unit stride along D), e.g. queries still laid out as {@code [B, T, H, D]};
 * outputs and gradients are contiguous. Positions are {@code [T]} shared by all samples, or
 * {@code [B·T]} per sample; the caller checks they index the tables.
 */
public final class Rotary {
    private Rotary() {}

    static final int GRAIN = 1 << 14;
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(Vec.F, i -> i ^ 1);

    /**
     * HALF pairing: out[B,H,T,D] = rotate(inp); cos, sin: [P, D/2] with entry [p, i] for angle p·θ_i.
     */
    public static void forwardHalf(float[] out, float[] inp, int inOff, int sB, int sH, int sT, float[] cos,
                                   float[] sin, int[] positions, boolean perSample, int b, int h, int t, int d) {
        run(false, out, inp, inOff, sB, sH, sT, cos, sin, positions, perSample, b, h, t, d, false, false, Vec.ENABLED);
    }

    /** HALF pairing: dinp[B,H,T,D] += rotate⁻¹(dout[B,H,T,D]), both contiguous. */
    public static void backwardHalf(float[] dinp, float[] dout, float[] cos, float[] sin, int[] positions,
                                    boolean perSample, int b, int h, int t, int d) {
        run(false, dinp, dout, 0, h * t * d, t * d, d, cos, sin, positions, perSample, b, h, t, d, true, true, Vec.ENABLED);
    }

    /**
     * INTERLEAVED pairing: out[B,H,T,D] = rotate(inp). The tables are per element, [P, D]:
     * cos2[p, 2i] = cos2[p, 2i+1] = cos(p·θ_i), sin2[p, 2i] = −sin(p·θ_i), sin2[p, 2i+1] = +sin(p·θ_i),
     * so that the rotation is {@code x·cos2 + swapPairs(x)·sin2} with whole-vector operations.
     */
    public static void forwardInterleaved(float[] out, float[] inp, int inOff, int sB, int sH, int sT, float[] cos2,
                                          float[] sin2, int[] positions, boolean perSample, int b, int h, int t, int d) {
        run(true, out, inp, inOff, sB, sH, sT, cos2, sin2, positions, perSample, b, h, t, d, false, false, Vec.ENABLED);
    }

    /** INTERLEAVED pairing: dinp[B,H,T,D] += rotate⁻¹(dout[B,H,T,D]), both contiguous. */
    public static void backwardInterleaved(float[] dinp, float[] dout, float[] cos2, float[] sin2, int[] positions,
                                           boolean perSample, int b, int h, int t, int d) {
        run(true, dinp, dout, 0, h * t * d, t * d, d, cos2, sin2, positions, perSample, b, h, t, d, true, true, Vec.ENABLED);
    }

    /**
     * All four entry points: dst row r (contiguous) gets the rotation (inverse when asked) of the
     * strided src row, added to dst when {@code accumulate}.
     */
    static void run(boolean interleaved, float[] dst, float[] src, int srcOff, int sB, int sH, int sT, float[] cos,
                    float[] sin, int[] positions, boolean perSample, int b, int h, int t, int d, boolean inverse,
                    boolean accumulate, boolean vector) {
        int rows = b * h * t;
        int half = d / 2;
        ComputePool.shared().parallelFor(rows, Math.max(1, GRAIN / Math.max(1, d)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ti = r % t;
                int hi = (r / t) % h;
                int bi = r / (t * h);
                int pos = perSample ? positions[bi * t + ti] : positions[ti];
                int in = srcOff + bi * sB + hi * sH + ti * sT;
                int out = r * d;
                if (interleaved) {
                    interleavedRow(dst, out, src, in, cos, sin, pos * d, d, inverse, accumulate, vector);
                } else {
                    halfRow(dst, out, src, in, cos, sin, pos * half, half, inverse, accumulate, vector);
                }
            }
        });
    }

    private static void halfRow(float[] dst, int out, float[] src, int in, float[] cos, float[] sin, int tab, int half,
                                boolean inverse, boolean accumulate, boolean vector) {
        int i = 0;
        if (vector) {
            for (int bound = Vec.F.loopBound(half); i < bound; i += Vec.L) {
                FloatVector x1 = FloatVector.fromArray(Vec.F, src, in + i);
                FloatVector x2 = FloatVector.fromArray(Vec.F, src, in + half + i);
                FloatVector c = FloatVector.fromArray(Vec.F, cos, tab + i);
                FloatVector s = FloatVector.fromArray(Vec.F, sin, tab + i);
                if (inverse) s = s.neg();
                FloatVector y1 = x1.mul(c).sub(x2.mul(s));
                FloatVector y2 = x2.mul(c).add(x1.mul(s));
                if (accumulate) {
                    y1 = y1.add(FloatVector.fromArray(Vec.F, dst, out + i));
                    y2 = y2.add(FloatVector.fromArray(Vec.F, dst, out + half + i));
                }
                y1.intoArray(dst, out + i);
                y2.intoArray(dst, out + half + i);
            }
        }
        for (; i < half; i++) {
            float x1 = src[in + i], x2 = src[in + half + i];
            float c = cos[tab + i], s = inverse ? -sin[tab + i] : sin[tab + i];
            float y1 = x1 * c - x2 * s, y2 = x2 * c + x1 * s;
            if (accumulate) {
                dst[out + i] += y1;
                dst[out + half + i] += y2;
            } else {
                dst[out + i] = y1;
                dst[out + half + i] = y2;
            }
        }
    }

    private static void interleavedRow(float[] dst, int out, float[] src, int in, float[] cos2, float[] sin2, int tab,
                                       int d, boolean inverse, boolean accumulate, boolean vector) {
        int i = 0;
        if (vector) {
            // L is even, so vectors never split a pair
            for (int bound = Vec.F.loopBound(d); i < bound; i += Vec.L) {
                FloatVector x = FloatVector.fromArray(Vec.F, src, in + i);
                FloatVector s = FloatVector.fromArray(Vec.F, sin2, tab + i);
                if (inverse) s = s.neg();
                FloatVector y = x.rearrange(SWAP_PAIRS).mul(s).add(x.mul(FloatVector.fromArray(Vec.F, cos2, tab + i)));
                if (accumulate) y = y.add(FloatVector.fromArray(Vec.F, dst, out + i));
                y.intoArray(dst, out + i);
            }
        }
        for (; i < d; i++) {
            float s = inverse ? -sin2[tab + i] : sin2[tab + i];
            float y = src[in + i] * cos2[tab + i] + src[in + (i ^ 1)] * s;
            if (accumulate) dst[out + i] += y;
            else dst[out + i] = y;
        }
    }
}
