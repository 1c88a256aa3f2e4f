package ai.tarka.tokenizers.bpe;

/**
 * Merges a long piece in O(n log n): tokens form a linked list over their starting byte positions and the pair ranks
 * sit in a min-heap keyed by (rank, position), so the lowest rank merges first and, among equal ranks, the leftmost,
 * exactly as the quadratic scan does. Stale heap entries are skipped when popped (their rank no longer matches).
 * Scratch arrays are reused; one instance per thread.
 */
final class HeapPieceMerger {
    private int[] ids = new int[0];
    private int[] next = new int[0];
    private int[] prev = new int[0];
    private int[] pairRank = new int[0];
    private long[] heap = new long[0];
    private int heapSize;

    /** Merges the single-byte tokens {@code in[0, n)}; writes the result to {@code out} and returns its length. */
    int merge(int[] in, int n, PairMergeTable merges, int[] out) {
        if (ids.length < n) {
            ids = new int[n];
            next = new int[n];
            prev = new int[n];
            pairRank = new int[n];
            heap = new long[2 * n];
        }
        heapSize = 0;
        for (int i = 0; i < n; i++) {
            ids[i] = in[i];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        for (int i = 0; i + 1 < n; i++) setPair(i, merges);
        pairRank[n - 1] = PairMergeTable.NO_MERGE;
        while (heapSize > 0) {
            long top = pop();
            int rank = (int) (top >>> 32), at = (int) top;
            if (ids[at] < 0 || pairRank[at] != rank) continue; // stale
            int right = next[at];
            ids[at] = merges.mergedAt(merges.find(ids[at], ids[right]));
            ids[right] = -1;
            next[at] = next[right];
            if (next[at] >= 0) prev[next[at]] = at;
            if (next[at] >= 0) setPair(at, merges); else pairRank[at] = PairMergeTable.NO_MERGE;
            if (prev[at] >= 0) setPair(prev[at], merges);
        }
        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) out[count++] = ids[i];
        return count;
    }

    private void setPair(int at, PairMergeTable merges) {
        int r = merges.rank(ids[at], ids[next[at]]);
        pairRank[at] = r;
        if (r != PairMergeTable.NO_MERGE) push(((long) r << 32) | at);
    }

    private void push(long key) {
        if (heapSize == heap.length) heap = java.util.Arrays.copyOf(heap, Math.max(16, heap.length * 2));
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= key) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = key;
    }

    private long pop() {
        long top = heap[0];
        long last = heap[--heapSize];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= heapSize) break;
            if (child + 1 < heapSize && heap[child + 1] < heap[child]) child++;
            if (heap[child] >= last) break;
            heap[i] = heap[child];
            i = child;
        }
        if (heapSize > 0) heap[i] = last;
        return top;
    }
}
