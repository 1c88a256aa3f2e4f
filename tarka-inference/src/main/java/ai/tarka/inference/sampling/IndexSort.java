package ai.tarka.inference.sampling;

/** Primitive selection and sorting of token ids by a float key, without boxing. */
final class IndexSort {
    private IndexSort() {}

    /** Sorts {@code idx[0..n)} by {@code key} descending, lower id first on ties. */
    static void sortDescending(int[] idx, int n, float[] key) {
        quicksort(idx, 0, n - 1, key);
    }

    private static boolean before(int a, int b, float[] key) {
        return key[a] > key[b] || (key[a] == key[b] && a < b);
    }

    private static void quicksort(int[] idx, int lo, int hi, float[] key) {
        while (hi - lo > 16) {
            int mid = (lo + hi) >>> 1;
            int pivot = idx[mid];
            int i = lo, j = hi;
            while (i <= j) {
                while (before(idx[i], pivot, key)) i++;
                while (before(pivot, idx[j], key)) j--;
                if (i <= j) {
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                    i++;
                    j--;
                }
            }
            // recurse into the smaller side, loop on the larger: stack depth stays logarithmic
            if (j - lo < hi - i) {
                quicksort(idx, lo, j, key);
                lo = i;
            } else {
                quicksort(idx, i, hi, key);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            int v = idx[i], j = i - 1;
            while (j >= lo && before(v, idx[j], key)) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = v;
        }
    }

    /**
     * Reorders {@code idx[0..n)} so that its first k entries are the k best by {@link #sortDescending}'s order (in
     * no particular order among themselves); Hoare-style selection, expected linear time.
     */
    static void selectTop(int[] idx, int n, int k, float[] key) {
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            int pivot = idx[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (before(idx[i], pivot, key)) i++;
                while (before(pivot, idx[j], key)) j--;
                if (i <= j) {
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                    i++;
                    j--;
                }
            }
            if (k - 1 <= j) hi = j;
            else if (k - 1 >= i) lo = i;
            else return;
        }
    }
}
