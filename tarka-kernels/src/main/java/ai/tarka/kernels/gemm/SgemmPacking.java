package ai.tarka.kernels.gemm;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the micro-panel layout the microkernels read, so the
 * kernels see one contiguous layout whatever the transposes and leading dimensions are.
 *
 * <p>Packed A: row i of the block at {@code i * aStride(kc)}, depth p at {@code + p}; micro-panel
 * {@code ir} is rows {@code [ir, ir+mr)}, which the microkernel reads as {@code mr} streams. Packed B: {@code nr}-column micro-panels, each {@code kc × nr} with element
 * (p, j) at {@code p*nr + j}. Rows/columns past the matrix edge are zero, so a partial tile is
 * computed as a full one and only its valid part is written back.
 *
 * <p>Packing is pure data movement, so every variant walks the source in its storage order
 * (sequential reads, which the prefetchers follow) and scatters into the panels, which are small
 * enough to stay cached.
 */
final class SgemmPacking {
    private SgemmPacking() {}

    private static final VectorSpecies<Float> F = Vec.F;
    /** Floats per 64-byte cache line: the depth chunk of a transposing pack. */
    private static final int TRANSPOSE_CHUNK = 16;

    /**
     * Row stride of packed A for depth {@code kc}: one cache line more than kc, so rows whose
     * natural stride is a multiple of 1 KiB do not all compete for the same few L1 sets.
     */
    static int aStride(int kc) {
        return kc + TRANSPOSE_CHUNK;
    }

    /**
     * Packs rows {@code [i0, i0+mc)} and depth {@code [p0, p0+kc)} of {@code alpha · op(A)} into
     * {@code dst} from 0, row i at {@code i * aStride(kc)}. Folding alpha in here keeps the
     * microkernel's tail a plain store/add.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      int mr, float alpha, float[] dst) {
        int as = aStride(kc);
        if (transA) {
            // op(A)[i,p] = a[p*lda + i]: stored row p holds depth p of every row; sweep it once.
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * lda + i0;
                for (int i = 0, o = p; i < mc; i++, o += as) dst[o] = alpha * a[src + i];
            }
        } else {
            // op(A)[i,p] = a[i*lda + p]: each row of a micro-panel is a contiguous run of the stored row.
            for (int i = 0; i < mc; i++) scaledCopy(a, aOff + (i0 + i) * lda + p0, dst, i * as, kc, alpha);
        }
        int padded = (mc + mr - 1) / mr * mr;
        for (int i = mc; i < padded; i++) java.util.Arrays.fill(dst, i * as, i * as + kc, 0f);
    }

    private static void scaledCopy(float[] src, int s, float[] dst, int d, int len, float alpha) {
        int i = 0;
        if (Vec.ENABLED) {
            int bound = F.loopBound(len);
            if (alpha == 1f) {
                for (; i < bound; i += Vec.L) FloatVector.fromArray(F, src, s + i).intoArray(dst, d + i);
            } else {
                for (; i < bound; i += Vec.L) FloatVector.fromArray(F, src, s + i).mul(alpha).intoArray(dst, d + i);
            }
        }
        for (; i < len; i++) dst[d + i] = alpha * src[s + i];
    }

    /**
     * Packs micro-panels {@code [q0, q1)} of columns {@code [j0, j0+nc)} and depth {@code [p0, p0+kc)}
     * of op(B); panel q lands at {@code dst[q*kc*nr]}, so workers may pack disjoint panel ranges.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, int q0, int q1, float[] dst) {
        packB(transB, b, bOff, ldb, p0, kc, j0, nc, nr, q0, q1, dst, 0);
    }

    /** As {@link #packB(boolean, float[], int, int, int, int, int, int, int, int, int, float[])}, panel q at {@code dst[dstOff + q*kc*nr]}. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, int q0, int q1, float[] dst, int dstOff) {
        int fullEnd = Math.min(q1, nc / nr); // panels with nr real columns
        if (transB) {
            // op(B)[p,j] = b[j*ldb + p]: nr stored rows per panel. Take one cache line (16 depth steps)
            // of each row in turn: walking all nr rows per step would revisit each line 16 times, and
            // rows 4 KiB apart all compete for the same L1 set.
            for (int q = q0; q < fullEnd; q++) {
                int src = bOff + (j0 + q * nr) * ldb + p0;
                int d = dstOff + q * kc * nr;
                for (int p = 0; p < kc; p += TRANSPOSE_CHUNK) {
                    int steps = Math.min(TRANSPOSE_CHUNK, kc - p);
                    for (int j = 0; j < nr; j++) {
                        int s = src + j * ldb + p;
                        for (int t = 0, o = d + p * nr + j; t < steps; t++, o += nr) dst[o] = b[s + t];
                    }
                }
            }
        } else if (Vec.ENABLED && nr % Vec.L == 0) {
            // op(B)[p,j] = b[p*ldb + j]: sweep each stored row across all the panels.
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0;
                for (int q = q0; q < fullEnd; q++) {
                    int s = src + q * nr, d = dstOff + q * kc * nr + p * nr;
                    for (int j = 0; j < nr; j += Vec.L) FloatVector.fromArray(F, b, s + j).intoArray(dst, d + j);
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0;
                for (int q = q0; q < fullEnd; q++) System.arraycopy(b, src + q * nr, dst, dstOff + q * kc * nr + p * nr, nr);
            }
        }
        for (int q = Math.max(q0, fullEnd); q < q1; q++) packBEdge(transB, b, bOff, ldb, p0, kc, j0, nc, nr, q, dst, dstOff);
    }

    /**
     * Packs micro-panels {@code [q0, q1)} of columns {@code [j0, j0+nc)} of a transposed B over the
     * whole depth k at once, as {@code ceil(k/kcStd)} slices: slice s (depth {@code [s·kcStd, ...)})
     * starts at {@code dst[s·kcStd·panels·nr]} and is laid out like {@link #packB}'s output. Each
     * stored row of B is then read once from end to end, which the prefetchers stream well, where
     * one slice at a time reads short pieces of rows far apart (3x slower from DRAM).
     */
    static void packBTransposedAllSlices(float[] b, int bOff, int ldb, int k, int kcStd, int j0, int nc,
                                         int nr, int q0, int q1, float[] dst) {
        int panels = (nc + nr - 1) / nr;
        for (int q = q0; q < q1; q++) {
            int cols = Math.min(nr, nc - q * nr);
            for (int j = 0; j < nr; j++) {
                int src = bOff + (j0 + q * nr + j) * ldb;
                for (int p0 = 0; p0 < k; p0 += kcStd) {
                    int kc = Math.min(kcStd, k - p0);
                    int d = p0 * panels * nr + q * kc * nr + j;
                    if (j < cols) {
                        for (int p = 0; p < kc; p++, d += nr) dst[d] = b[src + p0 + p];
                    } else {
                        for (int p = 0; p < kc; p++, d += nr) dst[d] = 0f;
                    }
                }
            }
        }
    }

    /** The last, partial B micro-panel: its real columns, zeros to the right. */
    private static void packBEdge(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                                  int nr, int q, float[] dst, int dstOff) {
        int cols = nc - q * nr;
        int d = dstOff + q * kc * nr;
        for (int p = 0; p < kc; p++, d += nr) {
            for (int j = 0; j < nr; j++) {
                int col = j0 + q * nr + j;
                dst[d + j] = j >= cols ? 0f : transB ? b[bOff + col * ldb + p0 + p] : b[bOff + (p0 + p) * ldb + col];
            }
        }
    }
}
