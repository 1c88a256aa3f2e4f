package ai.tarka.serve.model;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal attention of one query head over a sequence's keys and values stored in paged blocks: the kernel behind the
 * batched decode. For position {@code j} in block {@code b = table[j / bs]}, slot {@code s = j % bs}, key channel
 * {@code e} (of {@code kvDim}) lives at {@code (b · kvDim + e) · bs + s} and value channel {@code e} at
 * {@code (b · bs + s) · kvDim + e}; head {@code g} is channels {@code [g · headDim, (g + 1) · headDim)}. Keys are
 * channel-major inside a block so that, when the block size is a multiple of the vector width, a block's scores are
 * vectors over positions built from broadcast query channels: no horizontal sum per position. Softmax in float with
 * the running maximum subtracted. {@code scores} is caller-owned scratch of at least {@code length + bs} floats
 * (whole blocks are scored; no allocation here).
 */
public final class PagedAttention {
    private PagedAttention() {}

    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;

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
        int base = start - start % blockSize;          // scores[j - base] holds position j
        boolean wide = vector && blockSize % L == 0;
        for (int blk = start / blockSize; blk * blockSize < length; blk++) {
            int kb = (table[blk] * kvDim + headOffset) * blockSize;
            int so = blk * blockSize - base;
            if (wide) {
                scoreBlock(q, qOff, keys, kb, blockSize, headDim, scale, scores, so);
            } else {
                int to = Math.min(blockSize, length - blk * blockSize);
                for (int s = 0; s < to; s++) {
                    float dot = 0;
                    for (int e = 0; e < headDim; e++) dot += q[qOff + e] * keys[kb + e * blockSize + s];
                    scores[so + s] = dot * scale;
                }
            }
        }
        int lo = start - base, hi = length - base;
        float inv = vector ? softmaxVector(scores, lo, hi) : softmaxScalar(scores, lo, hi);
        for (int d = 0; d < headDim; d++) out[outOff + d] = 0f;
        int chunks = vector ? headDim / L * L : 0;
        for (int blk = start / blockSize; blk * blockSize < length; blk++) {
            int first = Math.max(start, blk * blockSize), end = Math.min(length, (blk + 1) * blockSize);
            int row = (table[blk] * blockSize + first % blockSize) * kvDim + headOffset;
            int p0 = first - base, count = end - first;
            for (int c = 0; c < chunks; c += L) mixChunk(values, row + c, kvDim, scores, p0, count, out, outOff + c);
            for (int d = chunks; d < headDim; d++) {
                float acc = out[outOff + d];
                for (int j = 0; j < count; j++) acc += scores[p0 + j] * values[row + j * kvDim + d];
                out[outOff + d] = acc;
            }
        }
        for (int d = 0; d < headDim; d++) out[outOff + d] *= inv;
    }

    /**
     * Scores of one block's positions for one head, a vector of positions at a time: four accumulators over the
     * channels (four independent FMA chains) per vector.
     */
    private static void scoreBlock(float[] q, int qOff, float[] keys, int kb, int bs, int headDim, float scale,
                                   float[] scores, int so) {
        for (int s = 0; s < bs; s += L) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F),
                    a3 = FloatVector.zero(F);
            int e = 0;
            for (; e + 4 <= headDim; e += 4) {
                int o = kb + e * bs + s;
                a0 = FloatVector.fromArray(F, keys, o).fma(FloatVector.broadcast(F, q[qOff + e]), a0);
                a1 = FloatVector.fromArray(F, keys, o + bs).fma(FloatVector.broadcast(F, q[qOff + e + 1]), a1);
                a2 = FloatVector.fromArray(F, keys, o + 2 * bs).fma(FloatVector.broadcast(F, q[qOff + e + 2]), a2);
                a3 = FloatVector.fromArray(F, keys, o + 3 * bs).fma(FloatVector.broadcast(F, q[qOff + e + 3]), a3);
            }
            for (; e < headDim; e++) {
                a0 = FloatVector.fromArray(F, keys, kb + e * bs + s).fma(FloatVector.broadcast(F, q[qOff + e]), a0);
            }
            a0.add(a1).add(a2.add(a3)).mul(scale).intoArray(scores, so + s);
        }
    }

    /** {@code out[c, c+L) += Σ_j scores[p0+j] · values[row + j·kvDim, +L)} with four FMA chains over positions. */
    private static void mixChunk(float[] values, int row, int kvDim, float[] scores, int p0, int count, float[] out,
                                 int o) {
        FloatVector a0 = FloatVector.fromArray(F, out, o), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F),
                a3 = FloatVector.zero(F);
        int j = 0;
        for (; j + 4 <= count; j += 4) {
            int r = row + j * kvDim;
            a0 = FloatVector.fromArray(F, values, r).fma(FloatVector.broadcast(F, scores[p0 + j]), a0);
            a1 = FloatVector.fromArray(F, values, r + kvDim).fma(FloatVector.broadcast(F, scores[p0 + j + 1]), a1);
            a2 = FloatVector.fromArray(F, values, r + 2 * kvDim).fma(FloatVector.broadcast(F, scores[p0 + j + 2]), a2);
            a3 = FloatVector.fromArray(F, values, r + 3 * kvDim).fma(FloatVector.broadcast(F, scores[p0 + j + 3]), a3);
        }
        for (; j < count; j++) {
            a0 = FloatVector.fromArray(F, values, row + j * kvDim).fma(FloatVector.broadcast(F, scores[p0 + j]), a0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(out, o);
    }

    /** Replaces {@code s[lo, hi)} by {@code exp(s - max)} and returns {@code 1 / Σ}. */
    private static float softmaxVector(float[] s, int lo, int hi) {
        int bound = lo + (hi - lo) / L * L;
        float max = Float.NEGATIVE_INFINITY;
        int i = lo;
        if (bound > lo) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += L) m = m.max(FloatVector.fromArray(F, s, i));
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < hi; i++) max = Math.max(max, s[i]);
        float sum = 0;
        i = lo;
        if (bound > lo) {
            FloatVector mv = FloatVector.broadcast(F, max), acc = FloatVector.zero(F);
            for (; i < bound; i += L) {
                FloatVector e = FloatVector.fromArray(F, s, i).sub(mv).lanewise(VectorOperators.EXP);
                e.intoArray(s, i);
                acc = acc.add(e);
            }
            sum = Vec.sum(acc);
        }
        for (; i < hi; i++) {
            float e = (float) Math.exp(s[i] - max);
            s[i] = e;
            sum += e;
        }
        return 1f / sum;
    }

    private static float softmaxScalar(float[] s, int lo, int hi) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = lo; i < hi; i++) max = Math.max(max, s[i]);
        float sum = 0;
        for (int i = lo; i < hi; i++) {
            float e = (float) Math.exp(s[i] - max);
            s[i] = e;
            sum += e;
        }
        return 1f / sum;
    }
}
