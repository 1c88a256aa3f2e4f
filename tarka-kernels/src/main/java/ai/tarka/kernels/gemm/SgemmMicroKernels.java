package ai.tarka.kernels.gemm;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernels: {@code C[tile] = Apanel · Bpanel}, or {@code += } when
 * {@code accumulate}, over one packed A micro-panel and one packed B micro-panel of depth
 * {@code kc} (A's rows {@code as} apart). The driver folds alpha into packed A and applies a general beta to C beforehand.
 *
 * <p>Accumulators are plain locals (never arrays of vectors) so C2 keeps all of them in registers
 * for the whole depth loop; the only memory traffic per step is three B vector loads and one
 * broadcast from each A row's stream. Without {@code accumulate} C is only written, never read.
 */
public final class SgemmMicroKernels {
    private SgemmMicroKernels() {}

    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;
    static final int MR = SgemmBlocking.VECTOR_MR;
    /** Columns of a B micro-panel (three vectors); a caller's panels of {@code kc × NR} floats can use {@link #vector3x3}. */
    public static final int NR = SgemmBlocking.VECTOR_NR_VECTORS * L;

    /**
     * 3 × (3 vectors) tile; {@code a0}/{@code b0} index the packed panels, {@code c0} the tile's
     * top-left. Why 3×3 and not the classic 6×2: C2's scheduler hoists every broadcast of a
     * depth step to its top, so a tile needs accumulators + B vectors + one register per A row at
     * once. 6×2 needs 12+2+6 = 20 of AVX2's 16 ymm registers and C2 then spills accumulators
     * through the stack (store-forwarding latency on every step, ~40% of peak); 3×3 needs
     * 9+3+3 = 15, and its 9 independent FMA chains cover the FMA latency × 2 pipes (8 on Zen4).
     */
    public static void vector3x3(int kc, float[] ap, int a0, int as, float[] bp, int b0,
                          float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c22 = FloatVector.zero(F);
        int a1 = a0 + as, a2 = a1 + as;
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(F, bp, bi);
            FloatVector b1v = FloatVector.fromArray(F, bp, bi + L);
            FloatVector b2v = FloatVector.fromArray(F, bp, bi + 2 * L);
            FloatVector av = FloatVector.broadcast(F, ap[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            c02 = av.fma(b2v, c02);
            av = FloatVector.broadcast(F, ap[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            c12 = av.fma(b2v, c12);
            av = FloatVector.broadcast(F, ap[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            c22 = av.fma(b2v, c22);
        }
        // The tail is only "store" or "add": an alpha/beta tail with both branches live made C2
        // spill accumulators inside the depth loop. Stores are written out rather than factored
        // into a helper, which C2 would not inline here and would then box the vectors.
        int r0 = c0, r1 = c0 + ldc, r2 = r1 + ldc;
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(F, c, r0));
            c01 = c01.add(FloatVector.fromArray(F, c, r0 + L));
            c02 = c02.add(FloatVector.fromArray(F, c, r0 + 2 * L));
            c10 = c10.add(FloatVector.fromArray(F, c, r1));
            c11 = c11.add(FloatVector.fromArray(F, c, r1 + L));
            c12 = c12.add(FloatVector.fromArray(F, c, r1 + 2 * L));
            c20 = c20.add(FloatVector.fromArray(F, c, r2));
            c21 = c21.add(FloatVector.fromArray(F, c, r2 + L));
            c22 = c22.add(FloatVector.fromArray(F, c, r2 + 2 * L));
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c02.intoArray(c, r0 + 2 * L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c12.intoArray(c, r1 + 2 * L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c22.intoArray(c, r2 + 2 * L);
    }

    /** The scalar fallback's 4 × 4 tile over panels packed with mr = nr = 4. */
    static void scalar4x4(int kc, float[] ap, int a0, int as, float[] bp, int b0,
                          float[] c, int c0, int ldc, boolean accumulate) {
        float s00 = 0f, s01 = 0f, s02 = 0f, s03 = 0f;
        float s10 = 0f, s11 = 0f, s12 = 0f, s13 = 0f;
        float s20 = 0f, s21 = 0f, s22 = 0f, s23 = 0f;
        float s30 = 0f, s31 = 0f, s32 = 0f, s33 = 0f;
        int a1 = a0 + as, a2 = a1 + as, a3 = a2 + as;
        for (int p = 0; p < kc; p++) {
            int bi = b0 + 4 * p;
            float b0v = bp[bi], b1v = bp[bi + 1], b2v = bp[bi + 2], b3v = bp[bi + 3];
            float a = ap[a0 + p];
            s00 += a * b0v; s01 += a * b1v; s02 += a * b2v; s03 += a * b3v;
            a = ap[a1 + p];
            s10 += a * b0v; s11 += a * b1v; s12 += a * b2v; s13 += a * b3v;
            a = ap[a2 + p];
            s20 += a * b0v; s21 += a * b1v; s22 += a * b2v; s23 += a * b3v;
            a = ap[a3 + p];
            s30 += a * b0v; s31 += a * b1v; s32 += a * b2v; s33 += a * b3v;
        }
        storeRow(s00, s01, s02, s03, c, c0, accumulate);
        storeRow(s10, s11, s12, s13, c, c0 + ldc, accumulate);
        storeRow(s20, s21, s22, s23, c, c0 + 2 * ldc, accumulate);
        storeRow(s30, s31, s32, s33, c, c0 + 3 * ldc, accumulate);
    }

    private static void storeRow(float s0, float s1, float s2, float s3, float[] c, int ci, boolean accumulate) {
        if (accumulate) {
            c[ci] += s0;
            c[ci + 1] += s1;
            c[ci + 2] += s2;
            c[ci + 3] += s3;
        } else {
            c[ci] = s0;
            c[ci + 1] = s1;
            c[ci + 2] = s2;
            c[ci + 3] = s3;
        }
    }
}
