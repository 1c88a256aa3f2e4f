package ai.tarka.serve.kv;

/**
 * The storage behind the blocks: per layer one float array of keys and one of values, allocated once. Values are
 * laid out {@code [block][slot][kvHeads·headDim]}; keys {@code [block][kvHeads·headDim][slot]}, so the keys of one
 * channel over a block's positions are contiguous and attention scores a whole vector of positions with broadcast
 * query channels and no horizontal sums ({@code PagedAttention}). Keys are stored after RoPE.
 */
public final class PagedKvCache {
    private final float[][] keys;
    private final float[][] values;
    private final int numBlocks;
    private final int blockSize;
    private final int kvDim;

    public PagedKvCache(int layers, int numBlocks, int blockSize, int kvDim) {
        long perLayer = (long) numBlocks * blockSize * kvDim;
        if (layers <= 0 || numBlocks <= 0 || blockSize <= 0 || kvDim <= 0 || perLayer > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("PagedKvCache: layers " + layers + ", blocks " + numBlocks + ", block size "
                    + blockSize + ", kv width " + kvDim + " give " + perLayer + " floats per layer (limit " + (Integer.MAX_VALUE - 16) + ")");
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.kvDim = kvDim;
        keys = new float[layers][(int) perLayer];
        values = new float[layers][(int) perLayer];
    }

    /** Bytes one block costs over all layers (keys and values). */
    public static long bytesPerBlock(int layers, int blockSize, int kvDim) {
        return 2L * layers * blockSize * kvDim * Float.BYTES;
    }

    /** Blocks that fit in {@code bytes}, capped so one layer stays within a Java array. */
    public static int blocksFor(long bytes, int layers, int blockSize, int kvDim) {
        long n = bytes / bytesPerBlock(layers, blockSize, kvDim);
        long cap = (Integer.MAX_VALUE - 16L) / ((long) blockSize * kvDim);
        return (int) Math.min(n, cap);
    }

    public float[] keys(int layer) {
        return keys[layer];
    }

    public float[] values(int layer) {
        return values[layer];
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    public int kvDim() {
        return kvDim;
    }

    /**
     * Stores the key {@code k[kOff, kOff + kvDim)} and value {@code v[vOff, vOff + kvDim)} of token {@code position}
     * in {@code layer}, in the block the sequence's table gives for it.
     */
    public void write(int layer, int[] blockTable, int position, float[] k, int kOff, float[] v, int vOff) {
        int block = blockTable[position / blockSize], slot = position % blockSize;
        float[] kc = keys[layer];
        int kb = block * kvDim * blockSize + slot;
        for (int e = 0; e < kvDim; e++) kc[kb + e * blockSize] = k[kOff + e];
        System.arraycopy(v, vOff, values[layer], (block * blockSize + slot) * kvDim, kvDim);
    }
}
