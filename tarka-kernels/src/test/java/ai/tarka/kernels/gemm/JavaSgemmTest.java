package ai.tarka.kernels.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JavaSgemmTest {
    private static final ComputePool ONE = new ComputePool(1);
    private static final ComputePool TWO = new ComputePool(2);
    private static final int[] SIZES = {1, 2, 3, 7, 13, 24, 25, 65, 129, 257};
    private static final float[] ALPHAS = {1f, -0.5f, 2.25f};
    private static final float[] BETAS = {0f, 1f, 0.75f, -1.5f};

    /** vector = false runs the scalar microkernel; direct = false forces even tiny products through packing. */
    private static JavaSgemm gemm(int threads, boolean vector, boolean direct) {
        return new JavaSgemm(threads == 1 ? ONE : TWO, vector, null, direct ? 4096 : 0); // 4096: direct path for products up to 16^3
    }

    static Stream<Arguments> randomCases() {
        Random r = new Random(20_240_611);
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            int m = SIZES[r.nextInt(SIZES.length)], n = SIZES[r.nextInt(SIZES.length)];
            int k = SIZES[r.nextInt(SIZES.length)];
            if ((long) m * n * k > 4_000_000) k = 7; // keep the double-precision reference quick
            boolean transA = (i & 1) != 0, transB = (i & 2) != 0;
            GemmCase c = GemmCase.random(r, m, n, k, transA, transB,
                    ALPHAS[r.nextInt(ALPHAS.length)], BETAS[r.nextInt(BETAS.length)], r.nextBoolean());
            out.add(Arguments.of(c, 1 + (i / 4) % 2, (i / 8) % 3 != 2, (i / 24) % 2 == 0));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} threads={1} vector={2} direct={3}")
    @MethodSource("randomCases")
    void matchesReference(GemmCase c, int threads, boolean vector, boolean direct) {
        c.runAndCheck(gemm(threads, vector, direct));
    }

    static Stream<Arguments> blockBoundaryCases() {
        Random r = new Random(77);
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{31, 50, 23}, {4, 97, 11}, {40, 5, 41}, {17, 73, 6}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                GemmCase c = GemmCase.random(r, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0,
                        ALPHAS[r.nextInt(ALPHAS.length)], BETAS[(t + s[0]) % BETAS.length], true);
                out.add(Arguments.of(c, 1 + t % 2, t != 3));
            }
        }
        return out.stream();
    }

    /** Tiny cache blocks (mc = 2 tiles, kc = 5, nc = 2 panels) so every block loop and edge runs several times. */
    @ParameterizedTest(name = "{0} threads={1} vector={2}")
    @MethodSource("blockBoundaryCases")
    void crossesEveryBlockBoundary(GemmCase c, int threads, boolean vector) {
        SgemmBlocking base = vector && Vec.ENABLED ? SgemmBlocking.forVector() : SgemmBlocking.forScalar();
        SgemmBlocking tiny = base.withCacheBlocks(2 * base.mr(), 5, 2 * base.nr());
        c.runAndCheck(new JavaSgemm(threads == 1 ? ONE : TWO, vector, tiny, 0));
    }

    @Test
    void largerThanTheDefaultBlocksWithTwoThreads() {
        // m > mc and k > kc with the default blocking, and n not a multiple of the tile width.
        GemmCase c = GemmCase.random(new Random(5), 389, 203, 521, false, true, 0.5f, 0.25f, true);
        c.runAndCheck(gemm(2, true, true));
        GemmCase few = GemmCase.random(new Random(6), 5, 1601, 300, true, false, 1f, 0f, true);
        few.runAndCheck(gemm(2, true, true)); // too few rows to split: workers split the columns
    }

    @Test
    void betaZeroOverwritesNaN() {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
        float[] c = new float[4];
        Arrays.fill(c, Float.NaN);
        gemm(1, true, false).sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertThat(c).containsExactly(19, 22, 43, 50);
    }

    @Test
    void alphaZeroOnlyScalesCAndIgnoresNaNInOperands() {
        float[] a = {Float.NaN, 1, 1, 1}, b = {1, Float.NaN, 1, 1};
        float[] c = {1, 2, 3, 4};
        gemm(1, true, false).sgemm(false, false, 2, 2, 2, 0f, a, 0, 2, b, 0, 2, 0.5f, c, 0, 2);
        assertThat(c).containsExactly(0.5f, 1f, 1.5f, 2f);
    }

    @Test
    void zeroDepthScalesC() {
        float[] c = {1, 2, Float.NaN, 4};
        gemm(2, true, false).sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 0f, c, 0, 2);
        assertThat(c).containsExactly(0, 0, 0, 0);
        float[] d = {1, 2, 3, 4};
        gemm(2, true, false).sgemm(true, true, 2, 2, 0, 1f, new float[0], 0, 2, new float[0], 0, 0, 2f, d, 0, 2);
        assertThat(d).containsExactly(2, 4, 6, 8);
    }

    @Test
    void emptyOutputIsANoOp() {
        float[] c = {7};
        gemm(1, true, false).sgemm(false, false, 0, 1, 3, 1f, new float[0], 0, 3, new float[3], 0, 1, 0f, c, 0, 1);
        gemm(1, true, false).sgemm(false, false, 1, 0, 3, 1f, new float[3], 0, 3, new float[0], 0, 0, 0f, c, 0, 0);
        assertThat(c).containsExactly(7);
    }

    @Test
    void deterministicAndIndependentOfThreadCount() {
        GemmCase c = GemmCase.random(new Random(11), 301, 150, 280, false, false, 1f, 0f, true);
        float[] a = c.newA(), b = c.newB();
        float[] first = run(gemm(2, true, true), c, a, b);
        float[] again = run(gemm(2, true, true), c, a, b);
        float[] single = run(gemm(1, true, true), c, a, b);
        assertThat(again).isEqualTo(first);
        assertThat(single).isEqualTo(first);
    }

    @Test
    void concurrentCallersDoNotShareScratch() throws Exception {
        JavaSgemm shared = gemm(2, true, true);
        GemmCase[] cases = {
            GemmCase.random(new Random(21), 97, 61, 130, false, true, 1f, 0f, false),
            GemmCase.random(new Random(22), 40, 120, 77, true, false, 1f, 0f, false),
        };
        float[][] expected = new float[2][];
        float[][][] operands = new float[2][][];
        for (int i = 0; i < 2; i++) {
            operands[i] = new float[][] {cases[i].newA(), cases[i].newB()};
            expected[i] = run(shared, cases[i], operands[i][0], operands[i][1]);
        }
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int which = i;
                results.add(callers.submit(() -> {
                    boolean same = true;
                    for (int rep = 0; rep < 30; rep++) {
                        float[] got = run(shared, cases[which], operands[which][0], operands[which][1]);
                        same &= Arrays.equals(got, expected[which]);
                    }
                    return same;
                }));
            }
            for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void callsFromInsideAPoolTaskRunInline() {
        // Inside a task the pool runs workers one after another on the calling thread: the row-block
        // hand-out and B-panel claims must not wait for a worker that never runs concurrently.
        JavaSgemm inner = gemm(2, true, true);
        GemmCase[] cases = {
            GemmCase.random(new Random(31), 120, 75, 90, false, false, 1f, 0f, false),
            GemmCase.random(new Random(32), 66, 130, 40, true, true, -1f, 0.5f, false),
        };
        float[][] got = new float[2][];
        TWO.parallelFor(2, (start, end) -> {
            for (int i = start; i < end; i++) got[i] = cases[i].runAndCheck(inner);
        });
        assertThat(got[0]).isNotNull();
        assertThat(got[1]).isNotNull();
    }

    private static float[] run(Gemm g, GemmCase c, float[] a, float[] b) {
        float[] out = c.newC(false);
        g.sgemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), a, c.aOff(), c.lda(), b, c.bOff(), c.ldb(),
                c.beta(), out, c.cOff(), c.ldc());
        return out;
    }

    static Stream<Arguments> badArguments() {
        float[] six = new float[6];
        return Stream.of(
                Arguments.of("negative size", (Runnable) () -> JavaSgemm.shared().sgemm(false, false, -1, 2, 3, 1f,
                        six, 0, 3, six, 0, 2, 0f, six, 0, 2), "negative size m=-1"),
                Arguments.of("lda too small", (Runnable) () -> JavaSgemm.shared().sgemm(false, false, 2, 2, 3, 1f,
                        six, 0, 2, six, 0, 2, 0f, six, 0, 2), "lda=2"),
                Arguments.of("A too short", (Runnable) () -> JavaSgemm.shared().sgemm(false, false, 2, 2, 3, 1f,
                        six, 1, 3, six, 0, 2, 0f, six, 0, 2), "A [2x3"),
                Arguments.of("B too short transposed", (Runnable) () -> JavaSgemm.shared().sgemm(false, true, 2, 3, 3, 1f,
                        six, 0, 3, six, 0, 3, 0f, six, 0, 3), "B [3x3"),
                Arguments.of("negative C offset", (Runnable) () -> JavaSgemm.shared().sgemm(false, false, 2, 2, 3, 1f,
                        six, 0, 3, six, 0, 2, 0f, six, -1, 2), "offset=-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void rejectsBadArgumentsNamingTheShapes(String what, Runnable call, String detail) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java sgemm").hasMessageContaining(detail).hasMessageContaining("k=");
    }

    @Test
    void registryReturnsTheSharedJavaBackend() {
        assertThat(Gemms.byName("java")).isSameAs(JavaSgemm.shared());
        // auto takes OpenBLAS where it loads (it does on this project's machines) and says why when it falls back
        Gemm auto = Gemms.byName("auto");
        assertThat(auto.name().equals("openblas") || Gemms.autoFallbackReason() != null).isTrue();
        assertThatThrownBy(() -> Gemms.byName("cublas")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cublas");
    }
}
