package ai.tarka.kernels.elementwise;

import ai.tarka.kernels.ComputePool;
import java.util.Arrays;

/**
 * Reductions over strided views: the sum over any set of dimensions (for sum, mean and the
 * sum-to-shape of broadcasting backward) and the maximum along one dimension.
 *
 * <p>The sum picks a loop by layout after merging the kept dimensions and the reduced ones
 * separately: contiguous reduced runs are summed per output (row sums); a contiguous innermost kept
 * dimension accumulates whole rows into the output (column sums such as a bias gradient
 * {@code [B·T, C] → [C]}); anything else uses a scalar strided loop. Work is split over outputs
 * in fixed chunks, so the results do not depend on scheduling (a single full sum depends only on
 * the thread count).
 */
public final class StridedReduce {
    private StridedReduce() {}

    /** Input elements per parallel chunk, at least. */
    static final int GRAIN = 1 << 15;

    /**
     * {@code out} (contiguous over the kept dimensions, in order) = the sum of the view
     * {@code (shape, x, xOff, xStrides)} over the dimensions flagged in {@code reduce}.
     */
    public static void sum(int[] shape, float[] x, int xOff, int[] xStrides, boolean[] reduce, float[] out, int outOff) {
        int r = shape.length;
        int[] keptShape = new int[r], keptStrides = new int[r], redShape = new int[r], redStrides = new int[r];
        int nk = 0, nr = 0;
        long nOut = 1, nRed = 1;
        for (int d = 0; d < r; d++) {
            if (reduce[d]) {
                redShape[nr] = shape[d];
                redStrides[nr++] = xStrides[d];
                nRed *= shape[d];
            } else {
                keptShape[nk] = shape[d];
                keptStrides[nk++] = xStrides[d];
                nOut *= shape[d];
            }
        }
        if (nOut == 0) return;
        if (nRed == 0) {
            Arrays.fill(out, outOff, outOff + (int) nOut, 0f);
            return;
        }
        Coalesced kept = Coalesced.of(Arrays.copyOf(keptShape, nk), Arrays.copyOf(keptStrides, nk));
        Coalesced red = Coalesced.of(Arrays.copyOf(redShape, nr), Arrays.copyOf(redStrides, nr));
        int outs = (int) nOut, reds = (int) nRed;
        ComputePool pool = ComputePool.shared();
        if (red.rank() == 1 && (red.aStrides()[0] == 1 || reds == 1)) {
            if (outs == 1) {
                fullSum(x, xOff, reds, out, outOff);
            } else {
                pool.parallelFor(outs, grainFor(reds), (s, e) -> rowSums(kept, x, xOff, reds, out, outOff, s, e));
            }
        } else if (kept.inner() > 1 && kept.aStrides()[kept.rank() - 1] == 1) {
            pool.parallelFor(outs, grainFor(reds), (s, e) -> accumulateRows(kept, red, x, xOff, out, outOff, s, e));
        } else {
            pool.parallelFor(outs, grainFor(reds), (s, e) -> stridedSums(kept, red, x, xOff, out, outOff, s, e));
        }
    }

    private static int grainFor(int workPerOutput) {
        return Math.max(1, GRAIN / Math.max(1, workPerOutput));
    }

    /** One output: partial sums per chunk, added in chunk order. */
    private static void fullSum(float[] x, int xOff, int n, float[] out, int outOff) {
        ComputePool pool = ComputePool.shared();
        int chunks = (int) Math.max(1, Math.min(pool.threads(), n / GRAIN));
        double[] partial = new double[chunks];
        pool.parallelFor(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int s = (int) ((long) n * c / chunks), e = (int) ((long) n * (c + 1) / chunks);
                partial[c] = ReduceKernels.sumDouble(x, xOff + s, e - s);
            }
        });
        double t = 0;
        for (double p : partial) t += p;
        out[outOff] = (float) t;
    }

    /** Storage offset of kept element {@code o} (row-major over the kept dimensions). */
    private static int keptOffset(Coalesced kept, int o) {
        int[] shape = kept.shape(), st = kept.aStrides();
        int p = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            p += (o % shape[d]) * st[d];
            o /= shape[d];
        }
        return p;
    }

    private static void rowSums(Coalesced kept, float[] x, int xOff, int n, float[] out, int outOff, int s, int e) {
        for (int o = s; o < e; o++) out[outOff + o] = ReduceKernels.sum(x, xOff + keptOffset(kept, o), n);
    }

    /** Outputs [s, e): segments along the contiguous innermost kept dimension, each summed row by row. */
    private static void accumulateRows(Coalesced kept, Coalesced red, float[] x, int xOff, float[] out, int outOff, int s, int e) {
        int inner = kept.inner();
        int[] rs = red.shape(), rst = red.aStrides();
        int rr = rs.length;
        int[] ridx = new int[rr];
        int pos = s;
        while (pos < e) {
            int col = pos % inner;
            int len = Math.min(inner - col, e - pos);
            int base = xOff + keptOffset(kept, pos);
            Arrays.fill(out, outOff + pos, outOff + pos + len, 0f);
            long nRed = red.numel();
            int p = base;
            Arrays.fill(ridx, 0);
            for (long i = 0; i < nRed; i++) {
                ReduceKernels.addInto(out, outOff + pos, x, p, len);
                for (int d = rr - 1; d >= 0; d--) {
                    if (++ridx[d] < rs[d]) {
                        p += rst[d];
                        break;
                    }
                    p -= (rs[d] - 1) * rst[d];
                    ridx[d] = 0;
                }
            }
            pos += len;
        }
    }

    private static void stridedSums(Coalesced kept, Coalesced red, float[] x, int xOff, float[] out, int outOff, int s, int e) {
        int[] rs = red.shape(), rst = red.aStrides();
        int rr = rs.length, inner = rs[rr - 1], is = rst[rr - 1];
        int outer = (int) (red.numel() / inner);
        int[] ridx = new int[rr];
        for (int o = s; o < e; o++) {
            int p = xOff + keptOffset(kept, o);
            Arrays.fill(ridx, 0);
            double acc = 0;
            for (int q = 0; q < outer; q++) {
                float run = 0f;
                for (int i = 0, pi = p; i < inner; i++, pi += is) run += x[pi];
                acc += run;
                for (int d = rr - 2; d >= 0; d--) {
                    if (++ridx[d] < rs[d]) {
                        p += rst[d];
                        break;
                    }
                    p -= (rs[d] - 1) * rst[d];
                    ridx[d] = 0;
                }
            }
            out[outOff + o] = (float) acc;
        }
    }

    /**
     * Maximum along the middle dimension of a contiguous {@code [outer, d, inner]} array:
     * {@code val[o·inner + i]} and the first position {@code idx[o·inner + i]} along d reaching it. d ≥ 1.
     */
    public static void maxAlong(float[] x, int xOff, int outer, int d, int inner, float[] val, int[] idx) {
        ComputePool.shared().parallelFor(outer, grainFor(d * inner), (s, e) -> {
            for (int o = s; o < e; o++) {
                int base = xOff + o * d * inner;
                if (inner == 1) {
                    float m = ReduceKernels.max(x, base, d);
                    val[o] = m;
                    idx[o] = ReduceKernels.indexOf(x, base, d, m);
                } else {
                    ReduceKernels.maxColumns(x, base, d, inner, val, o * inner, idx, o * inner);
                }
            }
        });
    }
}
