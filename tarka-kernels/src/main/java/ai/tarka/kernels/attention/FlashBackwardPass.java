package ai.tarka.kernels.attention;

import java.util.Arrays;

/**
 * One fused backward call: the arrays and sizes, and the work of one (batch, kv head, query group).
 *
 * <p>With {@code P = exp(scale·q·kᵀ − lse)} recomputed per tile, {@code dV += Pᵀ·dO},
 * {@code dP = dO·vᵀ}, {@code dS = scale · P ∘ (dP − rowDot)} with {@code rowDot = Σ dO∘o}, then
 * {@code dK += dSᵀ·q} and {@code dQ += dS·k}.
 */
final class FlashBackwardPass {
    private final AttentionShape shape;
    private final AttentionMaskSpec mask;
    private final float scale;
    private final float[] q, k, v, lse, rowDot, dO, dQ, dK, dV, dKPartial, dVPartial;
    private final int groups, queryBlock, keyBlock;
    private final boolean vector;

    FlashBackwardPass(AttentionShape shape, AttentionMaskSpec mask, float scale,
                      float[] q, float[] k, float[] v, float[] lse, float[] rowDot, float[] dO,
                      float[] dQ, float[] dK, float[] dV, float[] dKPartial, float[] dVPartial,
                      int groups, int queryBlock, int keyBlock, boolean vector) {
        this.shape = shape;
        this.mask = mask;
        this.scale = scale;
        this.q = q;
        this.k = k;
        this.v = v;
        this.lse = lse;
        this.rowDot = rowDot;
        this.dO = dO;
        this.dQ = dQ;
        this.dK = dK;
        this.dV = dV;
        this.dKPartial = dKPartial;
        this.dVPartial = dVPartial;
        this.groups = groups;
        this.queryBlock = queryBlock;
        this.keyBlock = keyBlock;
        this.vector = vector;
    }

    /**
     * Everything kv head {@code kvHead} of batch element {@code b} receives from the query blocks
     * {@code group, group + groups, ...} of all its query heads: dK and dV of the head (into the outputs
     * for group 0, into the group's partial copy otherwise) and dQ of those query blocks. Key blocks are
     * the outer loop so each packed key/value tile is reused by every query block.
     */
    void kvHeadTask(AttentionScratch w, int b, int kvHead, int group) {
        int tLen = shape.queryLen(), sLen = shape.keyLen(), d = shape.headDim();
        int stride = TileMath.padded(vector, keyBlock);
        int kvOff = (b * shape.kvHeads() + kvHead) * sLen * d;
        float[] dKOut = group == 0 ? dK : dKPartial, dVOut = group == 0 ? dV : dVPartial;
        int gradOff = (group == 0 ? 0 : (group - 1) * shape.keyElements()) + kvOff;
        int headFrom = kvHead * shape.groupSize(), headTo = headFrom + shape.groupSize();
        int queryBlocks = FlashAttention.ceilDiv(tLen, queryBlock);
        float[] p = w.scores, ds = w.grads;

        Arrays.fill(dKOut, gradOff, gradOff + sLen * d, 0f);
        Arrays.fill(dVOut, gradOff, gradOff + sLen * d, 0f);
        for (int h = headFrom; h < headTo; h++) {
            for (int block = group; block < queryBlocks; block += groups) {
                int qOff = ((b * shape.queryHeads() + h) * tLen + block * queryBlock) * d;
                Arrays.fill(dQ, qOff, qOff + Math.min(queryBlock, tLen - block * queryBlock) * d, 0f);
            }
        }

        int keyEnd = Math.min(sLen, mask.keyLimit(b, tLen - 1, shape));
        for (int k0 = 0; k0 < keyEnd; k0 += keyBlock) {
            int count = Math.min(keyBlock, keyEnd - k0);
            int width = TileMath.padded(vector, count);
            int kvBlock = kvOff + k0 * d;
            AttentionScratch.packTransposed(k, kvBlock, d, count, width, w.keysT, stride);
            AttentionScratch.packTransposed(v, kvBlock, d, count, width, w.valuesT, stride);
            int gradBlock = gradOff + k0 * d;
            for (int h = headFrom; h < headTo; h++) {
                for (int block = group; block < queryBlocks; block += groups) {
                    int q0 = block * queryBlock, rows = Math.min(queryBlock, tLen - q0);
                    if (mask.keyLimit(b, q0 + rows - 1, shape) <= k0) continue;
                    if (!mask.segmentsMayMeet(b, q0, q0 + rows, k0, k0 + count, tLen)) continue;
                    int rowBase = (b * shape.queryHeads() + h) * tLen + q0;
                    int qOff = rowBase * d;

                    TileMath.productTransposed(vector, rows, width, d, q, qOff, d, w.keysT, 0, stride, p, 0, stride);
                    for (int r = 0; r < rows; r++) {
                        int off = r * stride;
                        int visible = Math.clamp(mask.keyLimit(b, q0 + r, shape) - k0, 0, count);
                        float rowLse = lse[rowBase + r];
                        if (rowLse == Float.NEGATIVE_INFINITY) visible = 0;
                        if (mask.hasSegments()) mask.maskOtherSegments(p, off, visible, b * tLen + q0 + r, b * tLen + k0);
                        TileMath.expShifted(vector, p, off, visible, scale, rowLse);
                        Arrays.fill(p, off + visible, off + count, 0f);
                    }
                    TileMath.accumulateProduct(vector, count, d, rows, p, 0, 1, stride, dO, qOff, d, dVOut, gradBlock, d);
                    TileMath.productTransposed(vector, rows, width, d, dO, qOff, d, w.valuesT, 0, stride, ds, 0, stride);
                    for (int r = 0; r < rows; r++) {
                        TileMath.softmaxGrad(vector, p, ds, r * stride, count, rowDot[rowBase + r], scale);
                    }
                    TileMath.accumulateProduct(vector, count, d, rows, ds, 0, 1, stride, q, qOff, d, dKOut, gradBlock, d);
                    TileMath.accumulateProduct(vector, rows, d, count, ds, 0, stride, 1, k, kvBlock, d, dQ, qOff, d);
                }
            }
        }
    }
}
