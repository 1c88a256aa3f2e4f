package ai.tarka.kernels.gemm;

/**
 * The B operand of {@link JavaSgemm}, {@code op(B) [k × n]}, copied once into the micro-panel layout the
 * microkernel reads, for a matrix that is multiplied many times without changing: a frozen weight under LoRA is
 * multiplied in every forward (and every recomputed forward) and every backward pass, and re-packing it each time
 * (a transposing copy for {@code x·Wᵀ}) costs as much as a sixth of those products. Made by {@link JavaSgemm#pack};
 * the copy is a snapshot, so changing the source afterwards does not change the products.
 *
 * <p>Layout: depth slices of {@code kcStd} (the slicing {@link SgemmJob} uses for this k), slice s starting at
 * {@code s·kcStd·panels·nr}; within a slice of depth kc, panel q (columns {@code [q·nr, q·nr + nr)}) at
 * {@code q·kc·nr}, element (p, j) at {@code p·nr + j}, zero past column n. Each column block of a product is then
 * a contiguous run of panels of every slice.
 */
public final class PackedMatrix {
    final int k, n, kcStd, nr;
    final SgemmBlocking blocking;
    final float[] data;

    PackedMatrix(SgemmBlocking blocking, int k, int n, int kcStd, float[] data) {
        this.blocking = blocking;
        this.k = k;
        this.n = n;
        this.kcStd = kcStd;
        this.nr = blocking.nr();
        this.data = data;
    }

    /** Rows of op(B): the depth of the products it takes part in. */
    public int depth() {
        return k;
    }

    /** Columns of op(B): the columns of the products' results. */
    public int columns() {
        return n;
    }

    /** {@code op(B)} as it was packed, row-major {@code [k × n]} (the packed copy is then the only one needed). */
    public float[] toArray() {
        float[] out = new float[Math.multiplyExact(k, n)];
        int panels = (n + nr - 1) / nr;
        for (int pc = 0; pc < k; pc += kcStd) {
            int kc = Math.min(kcStd, k - pc);
            for (int q = 0; q < panels; q++) {
                int cols = Math.min(nr, n - q * nr);
                int src = panelOffset(pc, kc, q);
                for (int p = 0; p < kc; p++) System.arraycopy(data, src + p * nr, out, (pc + p) * n + q * nr, cols);
            }
        }
        return out;
    }

    /** Where panel {@code q} of the depth slice starting at {@code pc} begins. */
    int panelOffset(int pc, int kc, int q) {
        int panels = (n + nr - 1) / nr;
        return pc * panels * nr + q * kc * nr;
    }
}
