package ai.tarka.kernels.gemm;

import java.util.Arrays;

/**
 * Copies blocks of op(A) and op(B) into the micro-panel layout the microkernels read, so the
 * kernels see one contiguous layout whatever the transposes and leading dimensions are.
 *
 * <p>Packed A: {@code mr}-row micro-panels, each {@code kc × mr} with element (p, r) at
 * {@code p*mr + r}. Packed B: {@code nr}-column micro-panels, each {@code kc × nr} with element
 * (p, j) at {@code p*nr + j}. Rows/columns past the matrix edge are zero, so a partial tile is
 * computed as a full one and only its valid part is written back.
 */
final class SgemmPacking {
    private SgemmPacking() {}

    /**
     * Packs rows {@code [i0, i0+mc)} and depth {@code [p0, p0+kc)} of {@code alpha · op(A)} into
     * {@code dst} from 0. Folding alpha in here keeps the microkernel's tail a plain store/add.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      int mr, float alpha, float[] dst) {
        int d = 0;
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            if (transA) {
                // op(A)[i,p] = a[p*lda + i]: each depth step is rows contiguous floats.
                int src = aOff + p0 * lda + i0 + ir;
                for (int p = 0; p < kc; p++, src += lda, d += mr) {
                    for (int r = 0; r < rows; r++) dst[d + r] = alpha * a[src + r];
                    for (int r = rows; r < mr; r++) dst[d + r] = 0f;
                }
            } else {
                // op(A)[i,p] = a[i*lda + p]: read each row contiguously, write with stride mr.
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0;
                    for (int p = 0, o = d + r; p < kc; p++, o += mr) dst[o] = alpha * a[src + p];
                }
                for (int r = rows; r < mr; r++) {
                    for (int p = 0, o = d + r; p < kc; p++, o += mr) dst[o] = 0f;
                }
                d += kc * mr;
            }
        }
    }

    /**
     * Packs micro-panels {@code [q0, q1)} of columns {@code [j0, j0+nc)} and depth {@code [p0, p0+kc)}
     * of op(B); panel q lands at {@code dst[q*kc*nr]}, so threads may pack disjoint panel ranges.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, int q0, int q1, float[] dst) {
        for (int q = q0; q < q1; q++) {
            int jr = q * nr;
            int cols = Math.min(nr, nc - jr);
            int d = q * kc * nr;
            if (transB) {
                // op(B)[p,j] = b[j*ldb + p]: read each stored row contiguously, write with stride nr.
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (j0 + jr + j) * ldb + p0;
                    for (int p = 0, o = d + j; p < kc; p++, o += nr) dst[o] = b[src + p];
                }
                for (int j = cols; j < nr; j++) {
                    for (int p = 0, o = d + j; p < kc; p++, o += nr) dst[o] = 0f;
                }
            } else {
                // op(B)[p,j] = b[p*ldb + j]: each depth step is cols contiguous floats.
                int src = bOff + p0 * ldb + j0 + jr;
                if (cols == nr) {
                    for (int p = 0; p < kc; p++, src += ldb, d += nr) System.arraycopy(b, src, dst, d, nr);
                } else {
                    for (int p = 0; p < kc; p++, src += ldb, d += nr) {
                        System.arraycopy(b, src, dst, d, cols);
                        Arrays.fill(dst, d + cols, d + nr, 0f);
                    }
                }
            }
        }
    }
}
