package ai.tarka.kernels.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A B packed once must give exactly (bit for bit) the products of the same call on the unpacked matrix. */
class PackedMatrixTest {
    private static final ComputePool ONE = new ComputePool(1);
    private static final ComputePool TWO = new ComputePool(2);
    private static final int[] SIZES = {1, 2, 5, 13, 24, 25, 49, 97, 130};

    static Stream<Arguments> cases() {
        Random r = new Random(41_117);
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int m = SIZES[r.nextInt(SIZES.length)], n = SIZES[r.nextInt(SIZES.length)], k = SIZES[r.nextInt(SIZES.length)];
            GemmCase c = GemmCase.random(r, m, n, k, r.nextBoolean(), r.nextBoolean(),
                    new float[] {1f, -0.5f, 2.25f}[r.nextInt(3)], new float[] {0f, 1f, 0.75f}[r.nextInt(3)], r.nextBoolean());
            out.add(Arguments.of(c, 1 + i % 2, (i / 2) % 4 != 3, (i / 8) % 3));
        }
        return out.stream();
    }

    /** blocking: 0 the default (tiny products take the direct path), 1 tiny cache blocks, 2 the default with every product packed. */
    @ParameterizedTest(name = "{0} threads={1} vector={2} blocking={3}")
    @MethodSource("cases")
    void packedProductEqualsTheUnpackedOneExactly(GemmCase c, int threads, boolean vector, int blocking) {
        SgemmBlocking base = vector && Vec.ENABLED ? SgemmBlocking.forVector() : SgemmBlocking.forScalar();
        SgemmBlocking blk = blocking != 1 ? null : base.withCacheBlocks(2 * base.mr(), 5, 2 * base.nr());
        JavaSgemm gemm = new JavaSgemm(threads == 1 ? ONE : TWO, vector, blk, blocking == 0 ? 4096 : 0);
        float[] a = c.newA(), b = c.newB();
        float[] expected = c.newC(false), actual = expected.clone();
        gemm.sgemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), a, c.aOff(), c.lda(), b, c.bOff(), c.ldb(),
                c.beta(), expected, c.cOff(), c.ldc());
        PackedMatrix packed = gemm.pack(c.transB(), c.k(), c.n(), b, c.bOff(), c.ldb());
        float[] opB = new float[c.k() * c.n()];
        for (int p = 0; p < c.k(); p++) {
            for (int j = 0; j < c.n(); j++) opB[p * c.n() + j] = c.transB() ? b[c.bOff() + j * c.ldb() + p] : b[c.bOff() + p * c.ldb() + j];
        }
        assertThat(packed.toArray()).containsExactly(opB);
        Arrays.fill(b, Float.NaN); // the packed copy no longer depends on the source
        gemm.sgemm(c.transA(), c.m(), c.alpha(), a, c.aOff(), c.lda(), packed, c.beta(), actual, c.cOff(), c.ldc());
        assertThat(actual).containsExactly(expected);
        assertThat(packed.depth()).isEqualTo(c.k());
        assertThat(packed.columns()).isEqualTo(c.n());
    }

    @Test
    void multiSliceDepthWithTheDefaultBlocking() {
        // k > 1.5 kc: several depth slices, as the transposed head product of a 32000-token vocabulary has.
        GemmCase c = GemmCase.random(new Random(9), 37, 61, 2500, false, false, 1f, 0f, true);
        JavaSgemm gemm = new JavaSgemm(TWO);
        float[] a = c.newA(), b = c.newB();
        float[] expected = c.newC(false), actual = c.newC(true);
        gemm.sgemm(false, false, c.m(), c.n(), c.k(), 1f, a, c.aOff(), c.lda(), b, c.bOff(), c.ldb(), 0f, expected, c.cOff(), c.ldc());
        gemm.sgemm(false, c.m(), 1f, a, c.aOff(), c.lda(), gemm.pack(false, c.k(), c.n(), b, c.bOff(), c.ldb()), 0f,
                actual, c.cOff(), c.ldc());
        assertThat(actual).containsExactly(expected);
    }

    @Test
    void rejectsOperandsThatDoNotFit() {
        JavaSgemm gemm = new JavaSgemm(ONE);
        assertThatThrownBy(() -> gemm.pack(true, 8, 4, new float[31], 0, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B [4x8");
        assertThatThrownBy(() -> gemm.pack(false, 0, 4, new float[4], 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k=0");
        PackedMatrix p = gemm.pack(false, 8, 4, new float[32], 0, 4);
        assertThatThrownBy(() -> gemm.sgemm(false, 3, 1f, new float[23], 0, 8, p, 0f, new float[12], 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A [3x8");
        assertThatThrownBy(() -> gemm.sgemm(false, 3, 1f, new float[24], 0, 8, p, 0f, new float[11], 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C [3x4");
        JavaSgemm other = new JavaSgemm(ONE, true, SgemmBlocking.forVector().withCacheBlocks(6, 5, 48), 0);
        assertThatThrownBy(() -> other.sgemm(false, 3, 1f, new float[24], 0, 8, p, 0f, new float[12], 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another JavaSgemm");
    }
}
