package ai.tarka.data.sample;

import ai.tarka.data.shard.TokenShard;
import java.util.List;

/**
 * Random windows of {@code seqLen + 1} tokens drawn uniformly over every start position of a set of
 * shards (as nanoGPT's {@code get_batch} does over one file). Batch {@code i} is a pure function of
 * (seed, i, shards, batch, seqLen): the random numbers are a hash of (seed, i, row), so training can
 * resume at any step by {@link #seek seeking} to it, without replaying earlier batches, and the
 * result does not depend on threads or on which batches were drawn before.
 *
 * <p>Windows may cross document boundaries (the EOS token between documents shows the model where
 * one ends), as in GPT-2 / nanoGPT pretraining.
 */
public final class RandomWindowSampler {
    private final List<TokenShard> shards;
    private final int batch;
    private final int seqLen;
    private final long seed;
    /** cumulativeStarts[s] = number of window start positions in shards 0..s-1. */
    private final long[] cumulativeStarts;
    private long position;

    public RandomWindowSampler(List<TokenShard> shards, int batch, int seqLen, long seed) {
        if (batch <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException("RandomWindowSampler: batch " + batch + " and seqLen " + seqLen + " must be positive");
        }
        if (shards.isEmpty()) throw new IllegalArgumentException("RandomWindowSampler: no shards");
        this.shards = List.copyOf(shards);
        this.batch = batch;
        this.seqLen = seqLen;
        this.seed = seed;
        this.cumulativeStarts = new long[shards.size() + 1];
        for (int s = 0; s < shards.size(); s++) {
            TokenShard shard = shards.get(s);
            long starts = Math.max(0, shard.tokenCount() - seqLen);
            cumulativeStarts[s + 1] = cumulativeStarts[s] + starts;
        }
        if (cumulativeStarts[shards.size()] == 0) {
            throw new IllegalArgumentException("RandomWindowSampler: no shard holds a window of seqLen + 1 = " + (seqLen + 1)
                    + " tokens (largest: " + shards.stream().mapToLong(TokenShard::tokenCount).max().orElse(0) + " tokens in "
                    + shards.stream().max(java.util.Comparator.comparingLong(TokenShard::tokenCount)).map(TokenShard::file).orElse(null) + ")");
        }
    }

    public int batchSize() {
        return batch;
    }

    public int seqLen() {
        return seqLen;
    }

    public long seed() {
        return seed;
    }

    /** Index of the batch that {@link #next()} returns next; save it in a checkpoint. */
    public long position() {
        return position;
    }

    /** Makes {@link #next()} return batch {@code index} (restore from a checkpoint). */
    public void seek(long index) {
        if (index < 0) throw new IllegalArgumentException("RandomWindowSampler: negative position " + index);
        this.position = index;
    }

    /** Batch {@link #position()}, then advances the position. */
    public TokenBatch next() {
        return batch(position++);
    }

    /** Batch {@code index}, without moving the position. */
    public TokenBatch batch(long index) {
        int[] inputs = new int[batch * seqLen];
        int[] targets = new int[batch * seqLen];
        fill(index, inputs, targets);
        return new TokenBatch(inputs, targets, batch, seqLen, index);
    }

    /** Writes batch {@code index} into caller-owned arrays of {@code batch * seqLen} ints (no allocation). */
    public void fill(long index, int[] inputs, int[] targets) {
        if (index < 0) throw new IllegalArgumentException("RandomWindowSampler: negative batch index " + index);
        if (inputs.length < batch * seqLen || targets.length < batch * seqLen) {
            throw new IllegalArgumentException("RandomWindowSampler.fill: arrays of " + inputs.length + "/" + targets.length
                    + " ints, need batch " + batch + " x seqLen " + seqLen);
        }
        long total = cumulativeStarts[shards.size()];
        for (int r = 0; r < batch; r++) {
            long u = Math.unsignedMultiplyHigh(mix(seed, index, r), total); // uniform in [0, total)
            int s = shardOf(u);
            long start = u - cumulativeStarts[s];
            TokenShard shard = shards.get(s);
            int row = r * seqLen;
            shard.read(start, inputs, row, seqLen);
            System.arraycopy(inputs, row + 1, targets, row, seqLen - 1);
            targets[row + seqLen - 1] = shard.token(start + seqLen);
        }
    }

    /** Where start position {@code u} of the concatenated start ranges falls. */
    private int shardOf(long u) {
        int lo = 0;
        int hi = shards.size() - 1;
        while (lo < hi) { // last s with cumulativeStarts[s] <= u
            int mid = (lo + hi + 1) >>> 1;
            if (cumulativeStarts[mid] <= u) lo = mid;
            else hi = mid - 1;
        }
        while (cumulativeStarts[lo + 1] == cumulativeStarts[lo]) lo++; // skip shards too short for a window
        return lo;
    }

    /** A 64-bit hash of (seed, batch, row): SplitMix64's finaliser applied to a combination of the three. */
    static long mix(long seed, long index, int row) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = fmix(z) + row * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L;
        return fmix(z);
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
