package ai.tarka.kernels.attention;

import java.util.Arrays;

/** One fused forward call: the arrays and sizes, and the work of one (batch, query head, query block). */
final class FlashForwardPass {
    private final AttentionShape shape;
    private final AttentionMaskSpec mask;
    private final float scale;
    private final float[] q, k, v, o, lse;
    private final int queryBlock, keyBlock;
    private final boolean vector;

    FlashForwardPass(AttentionShape shape, AttentionMaskSpec mask, float scale,
                     float[] q, float[] k, float[] v, float[] o, float[] lse,
                     int queryBlock, int keyBlock, boolean vector) {
        this.shape = shape;
        this.mask = mask;
        this.scale = scale;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.lse = lse;
        this.queryBlock = queryBlock;
        this.keyBlock = keyBlock;
        this.vector = vector;
    }

    /**
     * Rows {@code [block·Bq, +Bq)} of query head {@code h}: walks the visible key blocks keeping each row's
     * running max {@code m} and sum {@code l} of {@code exp(score − m)}, with the unnormalised output
     * accumulated straight into {@code o}; when a row's max grows, its sum and output are rescaled by
     * {@code exp(m_old − m_new)}. At the end {@code o /= l} and {@code lse = m + log l}.
     */
    void queryBlock(AttentionScratch w, int b, int h, int block) {
        int tLen = shape.queryLen(), d = shape.headDim();
        int q0 = block * queryBlock, rows = Math.min(queryBlock, tLen - q0);
        int kvHead = h / shape.groupSize();
        int rowBase = (b * shape.queryHeads() + h) * tLen + q0;
        int qOff = rowBase * d;
        int kvOff = (b * shape.kvHeads() + kvHead) * shape.keyLen() * d;
        int stride = TileMath.padded(vector, keyBlock);
        float[] m = w.rowMax, l = w.rowSum, s = w.scores;

        Arrays.fill(o, qOff, qOff + rows * d, 0f);
        Arrays.fill(m, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(l, 0, rows, 0f);

        // keys at or past the last row's limit are hidden from every row of the block
        int keyEnd = Math.min(shape.keyLen(), mask.keyLimit(b, q0 + rows - 1, shape));
        for (int k0 = 0; k0 < keyEnd; k0 += keyBlock) {
            int count = Math.min(keyBlock, keyEnd - k0);
            if (!mask.segmentsMayMeet(b, q0, q0 + rows, k0, k0 + count, tLen)) continue;
            int width = TileMath.padded(vector, count);
            AttentionScratch.packTransposed(k, kvOff + k0 * d, d, count, width, w.keysT, stride);
            TileMath.productTransposed(vector, rows, width, d, q, qOff, d, w.keysT, 0, stride, s, 0, stride);
            for (int r = 0; r < rows; r++) {
                int off = r * stride;
                int visible = Math.clamp(mask.keyLimit(b, q0 + r, shape) - k0, 0, count);
                if (mask.hasSegments()) mask.maskOtherSegments(s, off, visible, b * tLen + q0 + r, b * tLen + k0);
                float mNew = Math.max(m[r], TileMath.max(vector, s, off, visible) * scale);
                if (mNew == Float.NEGATIVE_INFINITY) {
                    Arrays.fill(s, off, off + count, 0f);
                    continue;
                }
                float sum = TileMath.expShifted(vector, s, off, visible, scale, mNew);
                Arrays.fill(s, off + visible, off + count, 0f);
                if (m[r] != mNew && m[r] != Float.NEGATIVE_INFINITY) {
                    float alpha = (float) Math.exp(m[r] - mNew);
                    l[r] *= alpha;
                    TileMath.scale(vector, o, qOff + r * d, d, alpha);
                }
                l[r] += sum;
                m[r] = mNew;
            }
            TileMath.accumulateProduct(vector, rows, d, count, s, 0, stride, 1, v, kvOff + k0 * d, d, o, qOff, d);
        }

        for (int r = 0; r < rows; r++) {
            if (l[r] == 0f) {
                lse[rowBase + r] = Float.NEGATIVE_INFINITY; // saw no key: the output row stays zero
            } else {
                TileMath.scale(vector, o, qOff + r * d, d, 1f / l[r]);
                lse[rowBase + r] = m[r] + (float) Math.log(l[r]);
            }
        }
    }
}
