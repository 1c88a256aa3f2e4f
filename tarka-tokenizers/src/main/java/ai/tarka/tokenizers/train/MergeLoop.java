package ai.tarka.tokenizers.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The merge phase of BPE training. Tokens are numbered internally (0..255 the bytes, then one per
 * merge). Pair counts are kept up to date incrementally: merging a pair only rewrites the pre-tokens
 * listed under that pair and adjusts the counts of the pairs around each occurrence. The best pair
 * comes from a max-heap with lazy deletion: every count change pushes a fresh entry, and entries
 * whose count no longer matches are dropped when they surface.
 */
final class MergeLoop {
    private final int[][] words;
    private final int[] wordLength;
    private final long[] wordCount;
    private final int[] wordStamp;

    private final List<byte[]> tokenBytes = new ArrayList<>();

    private final PairIds pairIds;
    private int pairs;
    private int[] pairLeft = new int[1024];
    private int[] pairRight = new int[1024];
    private long[] pairCount = new long[1024];
    private int[] pairStamp = new int[1024];
    private int[][] pairWords = new int[1024][];
    private int[] pairWordsSize = new int[1024];

    // Max-heap of (count, pair id) entries, ordered by count then by the pair's byte strings.
    private long[] heapCount = new long[1024];
    private int[] heapPair = new int[1024];
    private int heapSize;

    private int[] dirty = new int[256];
    private int dirtySize;
    private int stamp;

    MergeLoop(PreTokenCounts counts) {
        for (int b = 0; b < 256; b++) tokenBytes.add(new byte[] {(byte) b});
        int n = counts.words().length;
        words = new int[n][];
        wordLength = new int[n];
        wordCount = counts.counts().clone();
        wordStamp = new int[n];
        Arrays.fill(wordStamp, -1);
        long symbols = 0;
        for (int w = 0; w < n; w++) {
            byte[] bytes = counts.words()[w];
            int[] s = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) s[i] = bytes[i] & 0xFF;
            words[w] = s;
            wordLength[w] = s.length;
            symbols += s.length;
        }
        pairIds = new PairIds((int) Math.min(1 << 20, Math.max(1024, symbols / 4)));
        stamp = -1;
        for (int w = 0; w < n; w++) {
            int[] s = words[w];
            for (int i = 0; i + 1 < s.length; i++) addToPair(s[i], s[i + 1], wordCount[w], w);
        }
        for (int p = 0; p < pairs; p++) if (pairCount[p] > 0) push(pairCount[p], p);
    }

    /** Learns up to {@code budget} merges, stopping early when the best pair is rarer than {@code minFrequency}. */
    List<int[]> run(int budget, long minFrequency, TrainingProgress progress) {
        List<int[]> merges = new ArrayList<>();
        progress.merges(0, budget);
        while (merges.size() < budget) {
            int best = popBest();
            if (best < 0 || pairCount[best] < minFrequency) break;
            int a = pairLeft[best];
            int b = pairRight[best];
            int merged = tokenBytes.size();
            byte[] ab = Arrays.copyOf(tokenBytes.get(a), tokenBytes.get(a).length + tokenBytes.get(b).length);
            System.arraycopy(tokenBytes.get(b), 0, ab, tokenBytes.get(a).length, tokenBytes.get(b).length);
            tokenBytes.add(ab);
            merges.add(new int[] {a, b});

            stamp = merges.size();
            dirtySize = 0;
            int[] list = pairWords[best];
            int listSize = pairWordsSize[best];
            pairWords[best] = null;
            pairWordsSize[best] = 0;
            for (int k = 0; k < listSize; k++) {
                int w = list[k];
                if (wordStamp[w] == stamp) continue;
                wordStamp[w] = stamp;
                mergeInWord(w, a, b, merged);
            }
            if (pairCount[best] != 0) {
                throw new IllegalStateException("BPE training: pair count bookkeeping broke at merge " + stamp);
            }
            for (int i = 0; i < dirtySize; i++) {
                int p = dirty[i];
                if (pairCount[p] > 0) push(pairCount[p], p);
            }
            progress.merges(merges.size(), budget);
        }
        return merges;
    }

    byte[] bytesOf(int token) {
        return tokenBytes.get(token);
    }

    /** Replaces every non-overlapping (a, b), left to right, by {@code merged}, adjusting the neighbouring pairs. */
    private void mergeInWord(int w, int a, int b, int merged) {
        int[] s = words[w];
        int n = wordLength[w];
        long c = wordCount[w];
        int j = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && s[i] == a && s[i + 1] == b) {
                addToPair(a, b, -c, -1);
                if (j > 0) {
                    addToPair(s[j - 1], a, -c, -1);
                    addToPair(s[j - 1], merged, c, w);
                }
                if (i + 2 < n) {
                    addToPair(b, s[i + 2], -c, -1);
                    addToPair(merged, s[i + 2], c, w);
                }
                s[j++] = merged;
                i += 2;
            } else {
                s[j++] = s[i++];
            }
        }
        wordLength[w] = j;
    }

    /** Adds {@code delta} to a pair's count, creating it if new, and lists word {@code w} under it when {@code w >= 0}. */
    private void addToPair(int left, int right, long delta, int w) {
        int p = pairIds.get(left, right);
        if (p < 0) {
            p = newPair(left, right);
        }
        pairCount[p] += delta;
        if (w >= 0) {
            int size = pairWordsSize[p];
            int[] list = pairWords[p];
            if (size == 0 || list[size - 1] != w) {
                if (list == null) list = pairWords[p] = new int[4];
                else if (size == list.length) list = pairWords[p] = Arrays.copyOf(list, size * 2);
                list[size] = w;
                pairWordsSize[p] = size + 1;
            }
        }
        if (stamp >= 0 && pairStamp[p] != stamp) {
            pairStamp[p] = stamp;
            if (dirtySize == dirty.length) dirty = Arrays.copyOf(dirty, dirtySize * 2);
            dirty[dirtySize++] = p;
        }
    }

    private int newPair(int left, int right) {
        int p = pairs++;
        if (p == pairLeft.length) {
            int cap = p * 2;
            pairLeft = Arrays.copyOf(pairLeft, cap);
            pairRight = Arrays.copyOf(pairRight, cap);
            pairCount = Arrays.copyOf(pairCount, cap);
            pairStamp = Arrays.copyOf(pairStamp, cap);
            pairWords = Arrays.copyOf(pairWords, cap);
            pairWordsSize = Arrays.copyOf(pairWordsSize, cap);
        }
        pairLeft[p] = left;
        pairRight[p] = right;
        pairStamp[p] = -1;
        pairIds.put(left, right, p);
        return p;
    }

    /** The pair with the highest current count (ties: greatest left bytes, then greatest right bytes), or -1. */
    private int popBest() {
        while (heapSize > 0) {
            long c = heapCount[0];
            int p = heapPair[0];
            heapSize--;
            if (heapSize > 0) {
                heapCount[0] = heapCount[heapSize];
                heapPair[0] = heapPair[heapSize];
                siftDown(0);
            }
            if (c == pairCount[p] && c > 0) return p;
        }
        return -1;
    }

    private void push(long count, int p) {
        if (heapSize == heapCount.length) {
            heapCount = Arrays.copyOf(heapCount, heapSize * 2);
            heapPair = Arrays.copyOf(heapPair, heapSize * 2);
        }
        int i = heapSize++;
        heapCount[i] = count;
        heapPair[i] = p;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!above(i, parent)) break;
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= heapSize) return;
            int top = l + 1 < heapSize && above(l + 1, l) ? l + 1 : l;
            if (!above(top, i)) return;
            swap(i, top);
            i = top;
        }
    }

    /** Whether heap entry x ranks above heap entry y. */
    private boolean above(int x, int y) {
        if (heapCount[x] != heapCount[y]) return heapCount[x] > heapCount[y];
        int px = heapPair[x];
        int py = heapPair[y];
        int cmp = Arrays.compareUnsigned(tokenBytes.get(pairLeft[px]), tokenBytes.get(pairLeft[py]));
        if (cmp == 0) cmp = Arrays.compareUnsigned(tokenBytes.get(pairRight[px]), tokenBytes.get(pairRight[py]));
        return cmp > 0;
    }

    private void swap(int x, int y) {
        long c = heapCount[x];
        heapCount[x] = heapCount[y];
        heapCount[y] = c;
        int p = heapPair[x];
        heapPair[x] = heapPair[y];
        heapPair[y] = p;
    }
}
