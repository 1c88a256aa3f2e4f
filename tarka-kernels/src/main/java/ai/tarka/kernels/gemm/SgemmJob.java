package ai.tarka.kernels.gemm;

import ai.tarka.kernels.ComputePool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One calling thread's SGEMM state: the packing buffers (grown on first use, then reused, so a
 * steady-state call allocates nothing) and the parameters of the call in progress. It is its own
 * pool task, run once per (column block, depth slice).
 *
 * <p>Loop nest (Goto/BLIS): for each {@code nc} column block, for each {@code kc} depth slice, the
 * workers take {@code mc}-row blocks of C from a shared counter (so a worker slowed by other load
 * on its core takes fewer), pack each block's {@code mc × kc} slice of A, and run the
 * microkernel over every (B micro-panel, A micro-panel) pair, B panel outer so it is reused from
 * L1/L2 (see {@link SgemmBlocking#forVector}) while A panels stream from L2. Packed B is shared:
 * each group of B micro-panels is packed by whichever worker needs it first (an atomic claim
 * stamped with the block's epoch), and workers start at different groups so they pack in parallel.
 * That keeps one fork-join per block with no barrier (which would deadlock when the pool runs
 * workers inline). When A has too few rows to give each
 * worker a fair share, workers split the B micro-panels instead, each packing its own panels and
 * the (small) A block. A transposed B spanning several depth slices is packed for all of them at
 * once per column block (narrower blocks keep the buffer size), so its rows are read end to end. A B packed before
 * the call ({@link PackedMatrix}, for a matrix multiplied many times unchanged) skips all of that: its panels for
 * every (column block, depth slice) are read where they lie.
 */
final class SgemmJob implements ComputePool.WorkerTask {
    /** Below this many multiply-adds one thread does the whole product: a fork-join would cost more. */
    private static final long PARALLEL_MIN_WORK = 96L * 96 * 96;

    private final SgemmBlocking blk;
    private final boolean vector;
    private final ComputePool pool;
    private float[] packedB = new float[0];
    /**
     * B micro-panels are claimed in groups, so one packing pass reads {@code GROUP × nr} contiguous
     * floats of each stored row of B rather than a single panel's few.
     */
    private static final int GROUP = 8;
    /** Per group of B micro-panels: {@code 2·epoch} while a worker packs it, {@code 2·epoch + 1} once packed. */
    private AtomicLongArray groupState = new AtomicLongArray(0);
    private long epoch;
    private final float[][] packedA;
    private final float[][] edgeTile;

    // The call in progress.
    private boolean transA, transB;
    private int m, n, k;
    private float alpha, beta;
    private float[] a, b, c;
    private int aOff, lda, bOff, ldb, cOff, ldc;
    /** B packed before the call ({@link PackedMatrix}), or null when this call packs B itself. */
    private PackedMatrix prepacked;
    /** The packed B the microkernel reads: {@link #packedB} or the prepacked matrix's panels. */
    private float[] bPanels;

    // The block in progress.
    private int jc, nc, pc, kc, kcStd, mcStd;
    private boolean splitRows;
    /** The next {@code mcStd}-row block of C to hand out in this block's fork-join (row splitting). */
    private final AtomicInteger nextRowBlock = new AtomicInteger();
    /** Transposed B over several depth slices: pack all of them per column block (see packBTransposedAllSlices). */
    private boolean wholeDepth;

    SgemmJob(SgemmBlocking blk, boolean vector, ComputePool pool) {
        this.blk = blk;
        this.vector = vector;
        this.pool = pool;
        this.packedA = new float[pool.threads()][0];
        this.edgeTile = new float[pool.threads()][blk.mr() * blk.nr()];
    }

    void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                  float beta, float[] c, int cOff, int ldc) {
        execute(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, beta, c, cOff, ldc);
    }

    /** {@code C = alpha·op(A)·B + beta·C} with B already packed; the sums are the same as {@link #multiply}'s. */
    void multiplyPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                        float beta, float[] c, int cOff, int ldc) {
        execute(transA, false, m, b.n, b.k, alpha, a, aOff, lda, null, 0, b.n, b, beta, c, cOff, ldc);
    }

    /** Holds the call's parameters for the workers, runs it, and then lets go of the caller's arrays. */
    private void execute(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, PackedMatrix prepacked, float beta, float[] c, int cOff, int ldc) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.b = b;
        this.c = c;
        this.aOff = aOff;
        this.lda = lda;
        this.bOff = bOff;
        this.ldb = ldb;
        this.cOff = cOff;
        this.ldc = ldc;
        this.prepacked = prepacked;
        try {
            run();
        } finally {
            this.a = this.b = this.c = null; // never keep the caller's arrays alive
            this.prepacked = null;
            this.bPanels = null;
        }
    }

    /**
     * The depth of one packed slice for a product of depth k. A depth up to 1.5 kc is taken in one slice: a second
     * pass over C costs more than the B micro-panel growing (measured on 2048x384x1536 with kc=256: 76 vs 70
     * GFLOP/s on one core).
     */
    static int depthSlice(SgemmBlocking blk, int k) {
        return k <= blk.kc() * 3 / 2 ? k : balanced(k, blk.kc(), 1);
    }

    /** Packs all of {@code op(B) [k × n]} in {@link PackedMatrix}'s layout. */
    static PackedMatrix pack(SgemmBlocking blk, boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        int nr = blk.nr(), kcStd = depthSlice(blk, k), panels = ceilDiv(n, nr);
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(k, panels), nr)];
        for (int pc = 0; pc < k; pc += kcStd) {
            int kc = Math.min(kcStd, k - pc);
            SgemmPacking.packB(transB, b, bOff, ldb, pc, kc, 0, n, nr, 0, panels, data, pc * panels * nr);
        }
        return new PackedMatrix(blk, k, n, kcStd, data);
    }

    private void run() {
        int mr = blk.mr(), nr = blk.nr();
        int threads = (long) m * n * k < PARALLEL_MIN_WORK ? 1 : pool.threads();
        kcStd = depthSlice(blk, k);
        wholeDepth = prepacked == null && transB && kcStd < k;
        // Whole-depth packing holds k × nc floats: narrow the column block to keep about kc × nc.
        int ncMax = wholeDepth ? Math.max(nr, (int) ((long) blk.nc() * blk.kc() / k)) : blk.nc();
        int ncStd = balanced(n, ncMax, nr);
        // Rows are handed out in blocks of at most mc, at least four per worker and a multiple of the
        // worker count, so equal-speed workers finish together and a slowed one takes fewer (mc
        // between 96 and 384 measured the same). Too few rows to share: workers split the columns.
        int mPanels = ceilDiv(m, mr);
        splitRows = threads == 1 || mPanels >= 4 * threads;
        if (splitRows && threads > 1) {
            int blocks = ceilDiv(Math.max(ceilDiv(m, blk.mc()), 4 * threads), threads) * threads;
            mcStd = Math.min(blk.mc(), ceilDiv(ceilDiv(m, blocks), mr) * mr);
        } else {
            mcStd = balanced(m, blk.mc(), mr);
        }
        int panelsMax = ceilDiv(Math.min(ncStd, n), nr);
        if (prepacked == null) {
            int needB = (wholeDepth ? k : kcStd) * panelsMax * nr;
            if (packedB.length < needB) packedB = new float[needB];
            if (groupState.length() < ceilDiv(panelsMax, GROUP)) groupState = new AtomicLongArray(ceilDiv(panelsMax, GROUP));
            bPanels = packedB;
        } else {
            bPanels = prepacked.data;
        }
        int needA = ceilDiv(Math.min(mcStd, m), mr) * mr * SgemmPacking.aStride(kcStd);
        for (int w = 0; w < threads; w++) {
            if (packedA[w].length < needA) packedA[w] = new float[needA];
        }
        for (jc = 0; jc < n; jc += ncStd) {
            nc = Math.min(ncStd, n - jc);
            if (wholeDepth) epoch++; // B packed once per column block, for every depth slice
            for (pc = 0; pc < k; pc += kcStd) {
                kc = Math.min(kcStd, k - pc);
                if (!wholeDepth) epoch++;
                nextRowBlock.set(0);
                pool.runWorkers(threads, this);
            }
        }
    }

    @Override
    public void run(int worker, int workers) {
        int mr = blk.mr(), nr = blk.nr();
        int nPanels = ceilDiv(nc, nr);
        int q0 = 0, q1 = nPanels;
        if (!splitRows) {
            q0 = nPanels * worker / workers;
            q1 = nPanels * (worker + 1) / workers;
            if (q0 >= q1) return;
        }
        // The first depth slice stores (beta = 0) or adds onto C already scaled by beta.
        boolean accumulate = pc > 0 || beta != 0f;
        boolean scaleFirst = pc == 0 && beta != 0f && beta != 1f;
        int span = q1 - q0;
        int start = 0;
        if (splitRows) {
            // Sharing all panels, workers start at different groups so their first packs do not collide.
            start = ceilDiv(span, GROUP) * worker / workers * GROUP;
        } else if (prepacked != null) {
            // B is packed already.
        } else if (!wholeDepth) {
            // Workers own disjoint panels: each packs its own range in one pass.
            SgemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, nr, q0, q1, packedB);
        } else if (pc == 0) {
            SgemmPacking.packBTransposedAllSlices(b, bOff, ldb, k, kcStd, jc, nc, nr, q0, q1, packedB);
        }
        // Where panel 0 of this column block and depth slice starts.
        int slice = prepacked != null ? prepacked.panelOffset(pc, kc, jc / nr) : wholeDepth ? pc * nPanels * nr : 0;
        float[] ap = packedA[worker];
        float[] tile = edgeTile[worker];
        int as = SgemmPacking.aStride(kc);
        int rowBlocks = ceilDiv(m, mcStd);
        for (int ib = splitRows ? nextRowBlock.getAndIncrement() : 0; ib < rowBlocks;
             ib = splitRows ? nextRowBlock.getAndIncrement() : ib + 1) {
            int ic = ib * mcStd;
            int mc = Math.min(mcStd, m - ic);
            if (scaleFirst) scaleC(ic, ic + mc, jc + q0 * nr, jc + Math.min(nc, q1 * nr));
            SgemmPacking.packA(transA, a, aOff, lda, ic, mc, pc, kc, mr, alpha, ap);
            for (int step = 0; step < span; step++) {
                int q = q0 + (start + step) % span;
                if (splitRows && prepacked == null && q % GROUP == 0) ensurePacked(q / GROUP, nPanels);
                int jr = q * nr;
                int cols = Math.min(nr, nc - jr);
                int bp0 = slice + q * kc * nr;
                for (int ir = 0; ir < mc; ir += mr) {
                    int rows = Math.min(mr, mc - ir);
                    int ci = cOff + (ic + ir) * ldc + jc + jr;
                    if (rows == mr && cols == nr) {
                        kernel(ap, ir * as, as, bp0, c, ci, ldc, accumulate);
                    } else {
                        kernel(ap, ir * as, as, bp0, tile, 0, nr, false);
                        mergeEdge(tile, nr, rows, cols, ci, accumulate);
                    }
                }
            }
        }
    }

    /** Packs group g of B micro-panels unless another worker has or is doing it (then waits for it). */
    private void ensurePacked(int g, int nPanels) {
        long packing = 2 * epoch, ready = packing + 1;
        long s = groupState.get(g);
        if (s == ready) return;
        if (s < packing && groupState.compareAndSet(g, s, packing)) {
            int q0 = g * GROUP, q1 = Math.min(nPanels, q0 + GROUP);
            if (wholeDepth) {
                SgemmPacking.packBTransposedAllSlices(b, bOff, ldb, k, kcStd, jc, nc, blk.nr(), q0, q1, packedB);
            } else {
                SgemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, blk.nr(), q0, q1, packedB);
            }
            groupState.set(g, ready); // volatile write publishes the packed floats
            return;
        }
        while (groupState.get(g) != ready) Thread.onSpinWait(); // a pack takes microseconds
    }

    private void kernel(float[] ap, int a0, int as, int b0, float[] out, int o0, int ldo, boolean accumulate) {
        if (vector) {
            SgemmMicroKernels.vector3x3(kc, ap, a0, as, bPanels, b0, out, o0, ldo, accumulate);
        } else {
            SgemmMicroKernels.scalar4x4(kc, ap, a0, as, bPanels, b0, out, o0, ldo, accumulate);
        }
    }

    /** Writes the valid {@code rows × cols} corner of a full tile computed into scratch. */
    private void mergeEdge(float[] tile, int nr, int rows, int cols, int ci, boolean accumulate) {
        for (int r = 0; r < rows; r++, ci += ldc) {
            int t = r * nr;
            if (accumulate) {
                for (int j = 0; j < cols; j++) c[ci + j] += tile[t + j];
            } else {
                System.arraycopy(tile, t, c, ci, cols);
            }
        }
    }

    /** {@code C[rows, cols] *= beta} for this worker's part, once per call before the first depth slice. */
    private void scaleC(int r0, int r1, int j0, int j1) {
        for (int i = r0; i < r1; i++) {
            int ci = cOff + i * ldc;
            for (int j = j0; j < j1; j++) c[ci + j] *= beta;
        }
    }

    /** Splits {@code total} into equal blocks of at most {@code max}, rounded up to a multiple of {@code unit}. */
    private static int balanced(int total, int max, int unit) {
        int blocks = ceilDiv(total, max);
        return Math.max(unit, ceilDiv(ceilDiv(total, blocks), unit) * unit);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
