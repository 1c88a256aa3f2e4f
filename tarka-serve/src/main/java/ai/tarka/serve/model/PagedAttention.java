package ai.tarka.serve.model;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Causal attention of one query head over a sequence's keys and values stored in paged blocks: the kernel behind the
 * batched decode. Keys and values of position {@code j} live at {@code (table[j / bs] · bs + j % bs) · kvDim}, head
 * {@code g} at offset {@code g · headDim} inside that row. Softmax in float with the running maximum subtracted;
 * {@code scores} is caller-owned scratch of at least {@code length} floats (no allocation here).
 */
public final class PagedAttention {
    private PagedAttention() {}

    /**
     * out[outOff, outOff + headDim) = softmax(q·Kᵀ · scale) · V over positions {@code [start, length)}.
     */
    public static void attend(float[] q, int qOff, float[] keys, float[] values, int[] table, int blockSize, int kvDim,
                              int headOffset, int headDim, int start, int length, float scale, float[] scores,
                              float[] out, int outOff) {
        attend(q, qOff, keys, values, table, blockSize, kvDim, headOffset, headDim, start, length, scale, scores, out,
                outOff, Vec.ENABLED);
    }

    static void attend(float[] q, int qOff, float[] keys, float[] values, int[] table, int blockSize, int kvDim,
                       int headOffset, int headDim, int start, int length, float scale, float[] scores,
                       float[] out, int outOff, boolean vector) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = start; j < length; j++) {
            int row = (table[j / blockSize] * blockSize + j % blockSize) * kvDim + headOffset;
            float s = (vector ? dotVector(q, qOff, keys, row, headDim) : dotScalar(q, qOff, keys, row, headDim)) * scale;
            scores[j - start] = s;
            if (s > max) max = s;
        }
        float sum = 0;
        for (int j = 0; j < length - start; j++) {
            float e = (float) Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int d = 0; d < headDim; d++) out[outOff + d] = 0f;
        for (int j = start; j < length; j++) {
            int row = (table[j / blockSize] * blockSize + j % blockSize) * kvDim + headOffset;
            float p = scores[j - start] * inv;
            if (vector) axpyVector(p, values, row, out, outOff, headDim);
            else axpyScalar(p, values, row, out, outOff, headDim);
        }
    }

    private static float dotVector(float[] a, int aOff, float[] b, int bOff, int n) {
        int bound = Vec.F.loopBound(n);
        int i = 0;
        float tail = 0;
        if (bound > 0) {
            FloatVector acc0 = FloatVector.zero(Vec.F), acc1 = FloatVector.zero(Vec.F);
            for (; i + 2 * Vec.L <= bound; i += 2 * Vec.L) {
                acc0 = FloatVector.fromArray(Vec.F, a, aOff + i).fma(FloatVector.fromArray(Vec.F, b, bOff + i), acc0);
                acc1 = FloatVector.fromArray(Vec.F, a, aOff + i + Vec.L).fma(FloatVector.fromArray(Vec.F, b, bOff + i + Vec.L), acc1);
            }
            for (; i < bound; i += Vec.L) {
                acc0 = FloatVector.fromArray(Vec.F, a, aOff + i).fma(FloatVector.fromArray(Vec.F, b, bOff + i), acc0);
            }
            tail = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) tail += a[aOff + i] * b[bOff + i];
        return tail;
    }

    private static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    private static void axpyVector(float p, float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = Vec.F.loopBound(n);
        int i = 0;
        if (bound > 0) {
            FloatVector pv = FloatVector.broadcast(Vec.F, p);
            for (; i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, x, xOff + i).fma(pv, FloatVector.fromArray(Vec.F, y, yOff + i))
                        .intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] += p * x[xOff + i];
    }

    private static void axpyScalar(float p, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += p * x[xOff + i];
    }
}
