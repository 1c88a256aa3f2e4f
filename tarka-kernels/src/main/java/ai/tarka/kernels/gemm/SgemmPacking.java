package ai.tarka.kernels.gemm;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the micro-panel layout the microkernels read, so the
 * kernels see one contiguous layout whatever the transposes and leading dimensions are.
 *
 * <p>Packed A: {@code mr}-row micro-panels, each {@code kc × mr} with element (p, r) at
 * {@code p*mr + r}. Packed B: {@code nr}-column micro-panels, each {@code kc × nr} with element
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

    /**
     * Packs rows {@code [i0, i0+mc)} and depth {@code [p0, p0+kc)} of {@code alpha · op(A)} into
     * {@code dst} from 0. Folding alpha in here keeps the microkernel's tail a plain store/add.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      int mr, float alpha, float[] dst) {
        int full = mc / mr * mr;
        if (transA) {
            // op(A)[i,p] = a[p*lda + i]: each stored row p holds the rows of every panel side by side.
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * lda + i0;
                int d = p * mr;
                for (int ir = 0; ir < full; ir += mr, d += kc * mr) {
                    for (int r = 0; r < mr; r++) dst[d + r] = alpha * a[src + ir + r];
                }
            }
        } else if (mr == 3) {
            // op(A)[i,p] = a[i*lda + p]: three row streams interleaved into one sequential write.
            for (int ir = 0; ir < full; ir += 3) {
                int s0 = aOff + (i0 + ir) * lda + p0, s1 = s0 + lda, s2 = s1 + lda;
                int d = ir * kc;
                for (int p = 0; p < kc; p++, d += 3) {
                    dst[d] = alpha * a[s0 + p];
                    dst[d + 1] = alpha * a[s1 + p];
                    dst[d + 2] = alpha * a[s2 + p];
                }
            }
        } else {
            for (int ir = 0; ir < full; ir += mr) {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0;
                    for (int p = 0, o = ir * kc + r; p < kc; p++, o += mr) dst[o] = alpha * a[src + p];
                }
            }
        }
        if (full < mc) packAEdge(transA, a, aOff, lda, i0 + full, mc - full, p0, kc, mr, alpha, dst, full * kc);
    }

    /** The last, partial A micro-panel: {@code rows < mr} real rows, zeros below. */
    private static void packAEdge(boolean transA, float[] a, int aOff, int lda, int i0, int rows, int p0, int kc,
                                  int mr, float alpha, float[] dst, int d) {
        for (int p = 0; p < kc; p++, d += mr) {
            for (int r = 0; r < mr; r++) {
                float v = 0f;
                if (r < rows) v = alpha * (transA ? a[aOff + (p0 + p) * lda + i0 + r] : a[aOff + (i0 + r) * lda + p0 + p]);
                dst[d + r] = v;
            }
        }
    }

    /**
     * Packs micro-panels {@code [q0, q1)} of columns {@code [j0, j0+nc)} and depth {@code [p0, p0+kc)}
     * of op(B); panel q lands at {@code dst[q*kc*nr]}, so workers may pack disjoint panel ranges.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, int q0, int q1, float[] dst) {
        int fullEnd = Math.min(q1, nc / nr); // panels with nr real columns
        if (transB) {
            // op(B)[p,j] = b[j*ldb + p]: nr stored rows per panel, read side by side so each depth
            // step writes one contiguous row of the panel.
            for (int q = q0; q < fullEnd; q++) {
                int src = bOff + (j0 + q * nr) * ldb + p0;
                int d = q * kc * nr;
                for (int p = 0; p < kc; p++, d += nr) {
                    for (int j = 0, s = src + p; j < nr; j++, s += ldb) dst[d + j] = b[s];
                }
            }
        } else if (Vec.ENABLED && nr % Vec.L == 0) {
            // op(B)[p,j] = b[p*ldb + j]: sweep each stored row across all the panels.
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0;
                for (int q = q0; q < fullEnd; q++) {
                    int s = src + q * nr, d = q * kc * nr + p * nr;
                    for (int j = 0; j < nr; j += Vec.L) FloatVector.fromArray(F, b, s + j).intoArray(dst, d + j);
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0;
                for (int q = q0; q < fullEnd; q++) System.arraycopy(b, src + q * nr, dst, q * kc * nr + p * nr, nr);
            }
        }
        for (int q = Math.max(q0, fullEnd); q < q1; q++) packBEdge(transB, b, bOff, ldb, p0, kc, j0, nc, nr, q, dst);
    }

    /** The last, partial B micro-panel: its real columns, zeros to the right. */
    private static void packBEdge(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                                  int nr, int q, float[] dst) {
        int cols = nc - q * nr;
        int d = q * kc * nr;
        for (int p = 0; p < kc; p++, d += nr) {
            for (int j = 0; j < nr; j++) {
                int col = j0 + q * nr + j;
                dst[d + j] = j >= cols ? 0f : transB ? b[bOff + col * ldb + p0 + p] : b[bOff + (p0 + p) * ldb + col];
            }
        }
    }
}
