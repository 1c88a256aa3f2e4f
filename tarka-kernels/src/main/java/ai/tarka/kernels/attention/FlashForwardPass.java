package ai.tarka.kernels.attention;

import java.util.Arrays;

/**
 * One fused forward call: the arrays and sizes, and the work of one (batch, kv head, query group), the
 * same decomposition as {@link FlashBackwardPass}.
 *
 * <p>Each query row keeps a running max {@code m} and a running sum {@code l} of {@code exp(score − m)}
 * while the key blocks go by, with the unnormalised output accumulated straight into {@code o}; when a
 * row's max grows, its sum and output are rescaled by {@code exp(m_old − m_new)}. At the end
 * {@code o /= l} and {@code lse = m + log l}. Key blocks are the outer loop, so each key tile is
 * transposed once per task and reused by every query block of every query head sharing the kv head.
 * Every row still meets its key blocks in ascending order, so the result does not depend on how the
 * rows are grouped into tasks.
 */
final class FlashForwardPass {
    private final AttentionShape shape;
    private final AttentionMaskSpec mask;
    private final float scale;
    private final float[] q, k, v, o, lse;
    private final int groups, queryBlock, keyBlock;
    private final boolean vector;

    FlashForwardPass(AttentionShape shape, AttentionMaskSpec mask, float scale,
                     float[] q, float[] k, float[] v, float[] o, float[] lse,
                     int groups, int queryBlock, int keyBlock, boolean vector) {
        this.shape = shape;
        this.mask = mask;
        this.scale = scale;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.lse = lse;
        this.groups = groups;
        this.queryBlock = queryBlock;
        this.keyBlock = keyBlock;
        this.vector = vector;
    }

    /** Query rows one task keeps running statistics for: its blocks of every head of the kv group. */
    static int taskRows(AttentionShape shape, int groups, int queryBlock) {
        int blocks = FlashAttention.ceilDiv(FlashAttention.ceilDiv(shape.queryLen(), queryBlock), groups);
        return shape.groupSize() * blocks * queryBlock;
    }

    /** Query blocks {@code group, group + groups, ...} of every query head reading kv head {@code kvHead}. */
    void kvHeadTask(AttentionScratch w, int b, int kvHead, int group) {
        int tLen = shape.queryLen(), d = shape.headDim();
        int stride = TileMath.padded(vector, keyBlock);
        int kvOff = (b * shape.kvHeads() + kvHead) * shape.keyLen() * d;
        int headFrom = kvHead * shape.groupSize(), headTo = headFrom + shape.groupSize();
        int queryBlocks = FlashAttention.ceilDiv(tLen, queryBlock);
        float[] m = w.rowMax, l = w.rowSum;

        int stat = 0;
        for (int h = headFrom; h < headTo; h++) {
            for (int block = group; block < queryBlocks; block += groups, stat += queryBlock) {
                int rowBase = (b * shape.queryHeads() + h) * tLen + block * queryBlock;
                Arrays.fill(o, rowBase * d, (rowBase + Math.min(queryBlock, tLen - block * queryBlock)) * d, 0f);
            }
        }
        Arrays.fill(m, 0, stat, Float.NEGATIVE_INFINITY);
        Arrays.fill(l, 0, stat, 0f);

        int keyEnd = Math.min(shape.keyLen(), mask.keyLimit(b, tLen - 1, shape));
        for (int k0 = 0; k0 < keyEnd; k0 += keyBlock) {
            int count = Math.min(keyBlock, keyEnd - k0);
            AttentionScratch.packTransposed(k, kvOff + k0 * d, d, count, TileMath.padded(vector, count), w.keysT, stride);
            stat = 0;
            for (int h = headFrom; h < headTo; h++) {
                for (int block = group; block < queryBlocks; block += groups, stat += queryBlock) {
                    int q0 = block * queryBlock, rows = Math.min(queryBlock, tLen - q0);
                    // keys at or past the last row's limit are hidden from every row of the block
                    int visible = Math.min(count, mask.keyLimit(b, q0 + rows - 1, shape) - k0);
                    if (visible <= 0 || !mask.segmentsMayMeet(b, q0, q0 + rows, k0, k0 + visible, tLen)) continue;
                    int rowBase = (b * shape.queryHeads() + h) * tLen + q0;
                    tile(w, b, q0, rows, rowBase, kvOff, k0, visible, stat);
                }
            }
        }

        stat = 0;
        for (int h = headFrom; h < headTo; h++) {
            for (int block = group; block < queryBlocks; block += groups, stat += queryBlock) {
                int q0 = block * queryBlock, rows = Math.min(queryBlock, tLen - q0);
                int rowBase = (b * shape.queryHeads() + h) * tLen + q0;
                for (int r = 0; r < rows; r++) {
                    float sum = l[stat + r];
                    if (sum == 0f) {
                        lse[rowBase + r] = Float.NEGATIVE_INFINITY; // saw no key: the output row stays zero
                    } else {
                        TileMath.scale(vector, o, (rowBase + r) * d, d, 1f / sum);
                        lse[rowBase + r] = m[stat + r] + (float) Math.log(sum);
                    }
                }
            }
        }
    }

    /**
     * Folds keys {@code [k0, k0 + count)} into query rows {@code [q0, q0 + rows)} (row {@code rowBase} of
     * the flattened {@code [B, Hq, T]}; running statistics at {@code stat}). The key tile is already
     * packed in {@code w.keysT}.
     */
    private void tile(AttentionScratch w, int b, int q0, int rows, int rowBase, int kvOff, int k0, int count, int stat) {
        int tLen = shape.queryLen(), d = shape.headDim();
        int stride = TileMath.padded(vector, keyBlock);
        int qOff = rowBase * d;
        float[] m = w.rowMax, l = w.rowSum, s = w.scores;
        TileMath.productTransposed(vector, rows, TileMath.padded(vector, count), d, q, qOff, d, w.keysT, 0, stride, s, 0, stride);
        for (int r = 0; r < rows; r++) {
            int off = r * stride, row = stat + r;
            int visible = Math.clamp(mask.keyLimit(b, q0 + r, shape) - k0, 0, count);
            if (mask.hasSegments()) mask.maskOtherSegments(s, off, visible, b * tLen + q0 + r, b * tLen + k0);
            float mOld = m[row];
            float mNew = Math.max(mOld, TileMath.max(vector, s, off, visible) * scale);
            if (mNew == Float.NEGATIVE_INFINITY) {
                Arrays.fill(s, off, off + count, 0f);
                continue;
            }
            float sum = TileMath.expShifted(vector, s, off, visible, scale, mNew);
            Arrays.fill(s, off + visible, off + count, 0f);
            if (mOld != mNew && mOld != Float.NEGATIVE_INFINITY) {
                float alpha = (float) Math.exp(mOld - mNew);
                l[row] *= alpha;
                TileMath.scale(vector, o, qOff + r * d, d, alpha);
            }
            l[row] += sum;
            m[row] = mNew;
        }
        TileMath.accumulateProduct(vector, rows, d, count, s, 0, stride, 1, v, kvOff + k0 * d, d, o, qOff, d);
    }
}
