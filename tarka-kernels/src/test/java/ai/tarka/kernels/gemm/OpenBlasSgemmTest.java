package ai.tarka.kernels.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The native backend must load on the linux-x86_64 machines Tarka is built on, so nothing here skips. */
class OpenBlasSgemmTest {
    private static final int[] SIZES = {1, 2, 7, 13, 25, 65, 129, 257};

    static Stream<Arguments> randomCases() {
        Random r = new Random(4242);
        List<Arguments> out = new ArrayList<>();
        float[] alphas = {1f, -0.5f, 2.25f}, betas = {0f, 1f, 0.75f};
        for (int i = 0; i < 32; i++) {
            int m = SIZES[r.nextInt(SIZES.length)], n = SIZES[r.nextInt(SIZES.length)], k = SIZES[r.nextInt(SIZES.length)];
            if ((long) m * n * k > 4_000_000) k = 13;
            GemmCase c = GemmCase.random(r, m, n, k, (i & 1) != 0, (i & 2) != 0,
                    alphas[r.nextInt(alphas.length)], betas[r.nextInt(betas.length)], r.nextBoolean());
            out.add(Arguments.of(c, 1 + (i / 4) % 2));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} threads={1}")
    @MethodSource("randomCases")
    void matchesReference(GemmCase c, int threads) {
        c.runAndCheck(OpenBlasSgemm.load(threads));
    }

    @Test
    void largeProblemOnTwoThreads() {
        GemmCase.random(new Random(9), 300, 257, 400, true, false, 1f, 0f, true).runAndCheck(OpenBlasSgemm.load(2));
    }

    @Test
    void betaZeroOverwritesNaNAndZeroDepthScales() {
        Gemm g = OpenBlasSgemm.load(1);
        float[] c = new float[4];
        Arrays.fill(c, Float.NaN);
        g.sgemm(false, true, 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 0, 2, new float[] {5, 7, 6, 8}, 0, 2, 0f, c, 0, 2);
        assertThat(c).containsExactly(19, 22, 43, 50);
        float[] d = {1, 2, 3, 4};
        g.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 3f, d, 0, 2);
        assertThat(d).containsExactly(3, 6, 9, 12);
    }

    @Test
    void agreesWithJavaBackend() {
        GemmCase c = GemmCase.random(new Random(31), 130, 70, 90, false, false, 1f, 0f, false);
        float[] a = c.newA(), b = c.newB();
        float[] viaJava = c.newC(false), viaBlas = c.newC(false);
        JavaSgemm.shared().sgemm(false, false, c.m(), c.n(), c.k(), 1f, a, c.aOff(), c.lda(), b, c.bOff(), c.ldb(),
                0f, viaJava, c.cOff(), c.ldc());
        OpenBlasSgemm.load(2).sgemm(false, false, c.m(), c.n(), c.k(), 1f, a, c.aOff(), c.lda(), b, c.bOff(), c.ldb(),
                0f, viaBlas, c.cOff(), c.ldc());
        for (int i = 0; i < viaJava.length; i++) {
            assertThat(viaBlas[i]).as("element %d", i).isCloseTo(viaJava[i], org.assertj.core.api.Assertions.within(1e-4f));
        }
    }

    @Test
    void rejectsBadArgumentsBeforeTheNativeCall() {
        float[] six = new float[6];
        assertThatThrownBy(() -> OpenBlasSgemm.load(1).sgemm(false, false, 2, 2, 3, 1f, six, 0, 2, six, 0, 2, 0f, six, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openblas sgemm").hasMessageContaining("lda=2");
        assertThatThrownBy(() -> OpenBlasSgemm.load(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registryLoadsItByName() {
        Gemm g = Gemms.byName("openblas");
        assertThat(g).isInstanceOf(OpenBlasSgemm.class);
        assertThat(g.name()).isEqualTo("openblas");
        assertThat(((OpenBlasSgemm) g).coreName()).isNotBlank();
    }
}
