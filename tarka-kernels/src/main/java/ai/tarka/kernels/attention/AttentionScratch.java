package ai.tarka.kernels.attention;

/**
 * One compute thread's tiles for the fused kernel, kept per thread and grown on demand so that steady
 * state calls allocate nothing: a key block and a value block stored transposed ({@code headDim ×
 * keyStride}), the score/probability tile and the gradient tile ({@code queryBlock × keyStride}), and
 * the running max and sum of the query rows one forward task covers.
 */
final class AttentionScratch {
    private static final ThreadLocal<AttentionScratch> PER_THREAD = ThreadLocal.withInitial(AttentionScratch::new);

    float[] keysT = new float[0];
    float[] valuesT = new float[0];
    float[] scores = new float[0];
    float[] grads = new float[0];
    float[] rowMax = new float[0];
    float[] rowSum = new float[0];

    /**
     * This thread's scratch, large enough for the given tile sizes and for running statistics of
     * {@code statRows} query rows.
     */
    static AttentionScratch forThread(int headDim, int queryBlock, int keyStride, int statRows) {
        AttentionScratch s = PER_THREAD.get();
        s.ensure(headDim, queryBlock, keyStride, statRows);
        return s;
    }

    private void ensure(int headDim, int queryBlock, int keyStride, int statRows) {
        int kv = headDim * keyStride, tile = queryBlock * keyStride;
        if (keysT.length < kv) {
            keysT = new float[kv];
            valuesT = new float[kv];
        }
        if (scores.length < tile) {
            scores = new float[tile];
            grads = new float[tile];
        }
        if (rowMax.length < statRows) {
            rowMax = new float[statRows];
            rowSum = new float[statRows];
        }
    }

    /** Bytes one thread's tiles occupy (without the running statistics, which scale with the rows). */
    static long tileBytes(int headDim, int queryBlock, int keyStride) {
        return 4L * (2L * headDim * keyStride + 2L * queryBlock * keyStride);
    }

    /**
     * Copies keys {@code [k0, k0 + count)} of one head ({@code src[srcOff + j*headDim + d]}) transposed into
     * {@code dst[d*stride + j]}, zeroing the columns {@code [count, width)} so padded lanes stay finite.
     */
    static void packTransposed(float[] src, int srcOff, int headDim, int count, int width, float[] dst, int stride) {
        // contiguous writes, strided reads: the source block is small enough to stay in L1
        for (int d = 0; d < headDim; d++) {
            int row = d * stride;
            for (int j = 0, p = srcOff + d; j < count; j++, p += headDim) dst[row + j] = src[p];
            for (int j = count; j < width; j++) dst[row + j] = 0f;
        }
    }
}
