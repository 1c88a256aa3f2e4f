package ai.tarka.data.sample;

import ai.tarka.data.shard.TokenShard;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Every non-overlapping window of a set of (validation) shards, in order, for a validation loss over
 * the whole split: window {@code k} of a shard covers tokens {@code [k*seqLen, k*seqLen + seqLen]}
 * (inputs its first {@code seqLen}, targets its last {@code seqLen}), so each token is predicted once.
 * The tail of a shard shorter than a full window is left out. Windows are grouped into batches of
 * {@code batch} rows; the last batch may be smaller.
 */
public final class EvalWindows implements Iterable<TokenBatch> {
    private final List<TokenShard> shards;
    private final int batch;
    private final int seqLen;
    private final long[] cumulativeWindows;

    public EvalWindows(List<TokenShard> shards, int batch, int seqLen) {
        if (batch <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException("EvalWindows: batch " + batch + " and seqLen " + seqLen + " must be positive");
        }
        this.shards = List.copyOf(shards);
        this.batch = batch;
        this.seqLen = seqLen;
        this.cumulativeWindows = new long[shards.size() + 1];
        for (int s = 0; s < shards.size(); s++) {
            long n = shards.get(s).tokenCount();
            cumulativeWindows[s + 1] = cumulativeWindows[s] + (n > seqLen ? (n - 1) / seqLen : 0);
        }
    }

    public EvalWindows(TokenShard shard, int batch, int seqLen) {
        this(List.of(shard), batch, seqLen);
    }

    public long windowCount() {
        return cumulativeWindows[shards.size()];
    }

    public long batchCount() {
        return (windowCount() + batch - 1) / batch;
    }

    /** Batch {@code index} of {@link #batchCount()}. */
    public TokenBatch batch(long index) {
        if (index < 0 || index >= batchCount()) {
            throw new IndexOutOfBoundsException("EvalWindows: batch " + index + " of " + batchCount());
        }
        long first = index * batch;
        int rows = (int) Math.min(batch, windowCount() - first);
        int[] inputs = new int[rows * seqLen];
        int[] targets = new int[rows * seqLen];
        int s = 0;
        for (int r = 0; r < rows; r++) {
            long w = first + r;
            while (cumulativeWindows[s + 1] <= w) s++;
            long start = (w - cumulativeWindows[s]) * seqLen;
            TokenShard shard = shards.get(s);
            shard.read(start, inputs, r * seqLen, seqLen);
            shard.read(start + 1, targets, r * seqLen, seqLen);
        }
        return new TokenBatch(inputs, targets, rows, seqLen, index);
    }

    @Override
    public Iterator<TokenBatch> iterator() {
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < batchCount();
            }

            @Override
            public TokenBatch next() {
                if (!hasNext()) throw new NoSuchElementException("EvalWindows: all " + batchCount() + " batches returned");
                return batch(next++);
            }
        };
    }
}
