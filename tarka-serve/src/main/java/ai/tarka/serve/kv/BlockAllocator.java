package ai.tarka.serve.kv;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Hands out fixed-size KV-cache blocks by id, with reference counts and automatic prefix caching: a full block may be
 * published under the chained hash of its tokens; later sequences with the same prefix take it by hash instead of
 * recomputing it. Blocks nobody references sit in one idle queue in the order they were released, so allocation takes
 * the least recently used one and, if that block was cached, forgets its hash then (LRU eviction). Not thread-safe:
 * only the scheduler loop touches it.
 */
public final class BlockAllocator {
    private final int numBlocks;
    private final int blockSize;
    private final int[] refCount;
    private final long[] hashOf;
    private final boolean[] hashed;
    private final LinkedHashSet<Integer> idle = new LinkedHashSet<>();
    private final Map<Long, Integer> cached = new HashMap<>();
    private int used;
    private long queries;
    private long hits;

    public BlockAllocator(int numBlocks, int blockSize) {
        if (numBlocks <= 0 || blockSize <= 0) {
            throw new IllegalArgumentException("BlockAllocator: numBlocks " + numBlocks + " and blockSize " + blockSize
                    + " must be positive");
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        refCount = new int[numBlocks];
        hashOf = new long[numBlocks];
        hashed = new boolean[numBlocks];
        for (int b = 0; b < numBlocks; b++) idle.add(b);
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Blocks that {@link #allocate} can still hand out (unreferenced, cached or not). */
    public int freeBlocks() {
        return idle.size();
    }

    /** Blocks referenced by at least one sequence. */
    public int usedBlocks() {
        return used;
    }

    /** Fraction of blocks in use, 0..1. */
    public double usage() {
        return (double) used / numBlocks;
    }

    /** Blocks currently findable by hash. */
    public int cachedBlocks() {
        return cached.size();
    }

    /** Prefix-cache lookups so far, counted in blocks. */
    public long queries() {
        return queries;
    }

    /** Lookups that found their block. */
    public long hits() {
        return hits;
    }

    /** A fresh block with reference count one, evicting the least recently released cached block if needed. */
    public int allocate() {
        var it = idle.iterator();
        if (!it.hasNext()) throw new IllegalStateException("BlockAllocator: all " + numBlocks + " blocks are in use");
        int b = it.next();
        it.remove();
        if (hashed[b]) {
            cached.remove(hashOf[b]);
            hashed[b] = false;
        }
        refCount[b] = 1;
        used++;
        return b;
    }

    /** The cached block holding the tokens whose chained hash is {@code hash}, now referenced once more; or -1. */
    public int lookup(long hash) {
        queries++;
        Integer b = cached.get(hash);
        if (b == null) return -1;
        hits++;
        retain(b);
        return b;
    }

    /** Whether a block with this hash is cached (no counting, no reference taken). */
    public boolean contains(long hash) {
        return cached.containsKey(hash);
    }

    /** One more reference to a block already in use or idle. */
    public void retain(int block) {
        check(block);
        if (refCount[block]++ == 0) {
            idle.remove(block);
            used++;
        }
    }

    /** Drops one reference; at zero the block becomes idle (and stays findable by hash until evicted). */
    public void release(int block) {
        check(block);
        if (refCount[block] <= 0) throw new IllegalStateException("BlockAllocator: block " + block + " released more often than taken");
        if (--refCount[block] == 0) {
            idle.add(block);
            used--;
        }
    }

    /**
     * Makes a full block findable under {@code hash}. When another block already holds the same tokens the first one
     * stays the cached copy (the caller keeps using its own block, which is simply not published).
     */
    public void publish(int block, long hash) {
        check(block);
        if (hashed[block] || cached.containsKey(hash)) return;
        cached.put(hash, block);
        hashOf[block] = hash;
        hashed[block] = true;
    }

    public int refCount(int block) {
        check(block);
        return refCount[block];
    }

    /** Forgets every cached hash (blocks in use keep their contents). */
    public void resetPrefixCache() {
        cached.clear();
        Arrays.fill(hashed, false);
    }

    private void check(int block) {
        if (block < 0 || block >= numBlocks) {
            throw new IllegalArgumentException("BlockAllocator: block " + block + " outside [0, " + numBlocks + ")");
        }
    }
}
