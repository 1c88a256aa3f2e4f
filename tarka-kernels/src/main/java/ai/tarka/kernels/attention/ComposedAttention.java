package ai.tarka.kernels.attention;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.Gemms;
import java.util.Arrays;

/**
 * Attention done the unfused way, one full pass per step as a framework without a fused kernel runs
 * it: scores {@code S = scale·Q·Kᵀ} by GEMM per (batch, head) into a materialised {@code [B, Hq, T, S]}
 * buffer, a masking pass, a softmax pass that turns it into the probabilities {@code P} (kept for
 * backward), then {@code O = P·V} by GEMM. Backward: {@code dV = Pᵀ·dO}, {@code dP = dO·Vᵀ},
 * {@code dS = P∘(dP − rowsum(dP∘P))}, {@code dQ = scale·dS·K}, {@code dK = scale·dSᵀ·Q}.
 *
 * <p>It is the benchmark's baseline for {@link FlashAttention} and a second reference in tests. Every
 * product goes through {@link Gemms#get()}, so it speeds up with the GEMM backend. Same array layouts,
 * masking and fully-masked-row convention as {@link FlashAttention}.
 */
public final class ComposedAttention {
    private static final ComposedAttention SHARED = new ComposedAttention(ComputePool.shared());

    private final ComputePool pool;

    public ComposedAttention(ComputePool pool) {
        this.pool = pool;
    }

    public static ComposedAttention shared() {
        return SHARED;
    }

    /**
     * Writes {@code o} and returns the probabilities {@code P [B, Hq, T, S]} that {@link #backward} needs.
     */
    public float[] forward(AttentionShape shape, AttentionMaskSpec mask, float scale,
                           float[] q, float[] k, float[] v, float[] o) {
        String op = "ComposedAttention.forward";
        FlashAttention.checkCommon(op, shape, mask, scale, q, k, v);
        shape.requireLength(op, "o", o, shape.queryElements());
        float[] p = new float[scoreElements(op, shape)];
        Gemm gemm = Gemms.get();
        int t = shape.queryLen(), s = shape.keyLen(), d = shape.headDim();
        for (int b = 0; b < shape.batch(); b++) {
            for (int h = 0; h < shape.queryHeads(); h++) {
                gemm.sgemm(false, true, t, s, d, scale, q, queryOffset(shape, b, h), d,
                        k, keyOffset(shape, b, h), d, 0f, p, scoreOffset(shape, b, h), s);
            }
        }
        applyMask(shape, mask, p);
        softmaxRows(shape, p);
        for (int b = 0; b < shape.batch(); b++) {
            for (int h = 0; h < shape.queryHeads(); h++) {
                gemm.sgemm(false, false, t, d, s, 1f, p, scoreOffset(shape, b, h), s,
                        v, keyOffset(shape, b, h), d, 0f, o, queryOffset(shape, b, h), d);
            }
        }
        return p;
    }

    /** Overwrites {@code dQ}, {@code dK}, {@code dV} given the probabilities returned by {@link #forward}. */
    public void backward(AttentionShape shape, float scale, float[] q, float[] k, float[] v, float[] p,
                         float[] dO, float[] dQ, float[] dK, float[] dV) {
        String op = "ComposedAttention.backward";
        FlashAttention.checkCommon(op, shape, AttentionMaskSpec.NONE, scale, q, k, v);
        shape.requireLength(op, "P", p, scoreElements(op, shape));
        shape.requireLength(op, "dO", dO, shape.queryElements());
        shape.requireLength(op, "dQ", dQ, shape.queryElements());
        shape.requireLength(op, "dK", dK, shape.keyElements());
        shape.requireLength(op, "dV", dV, shape.keyElements());
        float[] dp = new float[p.length];
        Gemm gemm = Gemms.get();
        int t = shape.queryLen(), s = shape.keyLen(), d = shape.headDim();
        for (int b = 0; b < shape.batch(); b++) {
            for (int h = 0; h < shape.queryHeads(); h++) {
                // the first query head of a group overwrites its kv head's gradient, the others add to it
                float beta = h % shape.groupSize() == 0 ? 0f : 1f;
                int qo = queryOffset(shape, b, h), ko = keyOffset(shape, b, h), so = scoreOffset(shape, b, h);
                gemm.sgemm(true, false, s, d, t, 1f, p, so, s, dO, qo, d, beta, dV, ko, d);
                gemm.sgemm(false, true, t, s, d, 1f, dO, qo, d, v, ko, d, 0f, dp, so, s);
            }
        }
        softmaxBackwardRows(shape, p, dp);
        for (int b = 0; b < shape.batch(); b++) {
            for (int h = 0; h < shape.queryHeads(); h++) {
                float beta = h % shape.groupSize() == 0 ? 0f : 1f;
                int qo = queryOffset(shape, b, h), ko = keyOffset(shape, b, h), so = scoreOffset(shape, b, h);
                gemm.sgemm(false, false, t, d, s, scale, dp, so, s, k, ko, d, 0f, dQ, qo, d);
                gemm.sgemm(true, false, s, d, t, scale, dp, so, s, q, qo, d, beta, dK, ko, d);
            }
        }
    }

    /** Bytes beyond inputs, outputs and gradients: P (kept from forward to backward) and dP/dS. */
    public static long extraBytes(AttentionShape shape) {
        return 2L * shape.rows() * shape.keyLen() * Float.BYTES;
    }

    /** Sets every hidden score to -infinity, row by row. */
    private void applyMask(AttentionShape shape, AttentionMaskSpec mask, float[] p) {
        int t = shape.queryLen(), s = shape.keyLen(), perBatch = shape.queryHeads() * t;
        pool.parallelFor(shape.rows(), 16, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int b = row / perBatch, i = row % t, off = row * s;
                int limit = Math.clamp(mask.keyLimit(b, i, shape), 0, s);
                Arrays.fill(p, off + limit, off + s, Float.NEGATIVE_INFINITY);
                if (mask.hasSegments()) mask.maskOtherSegments(p, off, limit, b * t + i, b * t);
            }
        });
    }

    /** Row softmax in place; rows with every score hidden become zero. */
    private void softmaxRows(AttentionShape shape, float[] p) {
        int s = shape.keyLen();
        boolean vector = Vec.ENABLED;
        pool.parallelFor(shape.rows(), 16, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int off = row * s;
                float max = TileMath.max(vector, p, off, s);
                if (max == Float.NEGATIVE_INFINITY) {
                    Arrays.fill(p, off, off + s, 0f);
                    continue;
                }
                float sum = TileMath.expShifted(vector, p, off, s, 1f, max);
                TileMath.scale(vector, p, off, s, 1f / sum);
            }
        });
    }

    /** {@code dp ← P∘(dp − rowsum(dp∘P))} row by row. */
    private void softmaxBackwardRows(AttentionShape shape, float[] p, float[] dp) {
        int s = shape.keyLen();
        boolean vector = Vec.ENABLED;
        pool.parallelFor(shape.rows(), 16, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int off = row * s;
                float rowDot = TileMath.dot(vector, dp, off, p, off, s);
                TileMath.softmaxGrad(vector, p, dp, off, s, rowDot, 1f);
            }
        });
    }

    private static int scoreElements(String op, AttentionShape shape) {
        long n = (long) shape.rows() * shape.keyLen();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(op + ": the " + n + "-element score matrix does not fit one array for " + shape);
        }
        return (int) n;
    }

    private static int queryOffset(AttentionShape shape, int b, int h) {
        return (b * shape.queryHeads() + h) * shape.queryLen() * shape.headDim();
    }

    private static int keyOffset(AttentionShape shape, int b, int h) {
        return (b * shape.kvHeads() + h / shape.groupSize()) * shape.keyLen() * shape.headDim();
    }

    private static int scoreOffset(AttentionShape shape, int b, int h) {
        return (b * shape.queryHeads() + h) * shape.queryLen() * shape.keyLen();
    }
}
