package ai.tarka.kernels.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ElementwiseKernelsTest {

    /** Seeds with run lengths that are not multiples of any vector width (plus the tiny ones). */
    static Stream<int[]> cases() {
        Random rng = new Random(42);
        return IntStream.range(0, 12).mapToObj(i -> new int[] {
                i < 4 ? new int[] {0, 1, 7, 13}[i] : 17 + rng.nextInt(150), rng.nextInt(5), rng.nextInt(5), 1000 + i});
    }

    private static float[] values(Random rng, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.nextFloat();
        return v;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void binaryLoopsMatchPlainLoopsExactly(int[] c) {
        int n = c[0], aOff = c[1], bOff = c[2];
        Random rng = new Random(c[3]);
        float[] a = values(rng, n + aOff, -3, 3), b = values(rng, n + bOff, 0.5f, 3);
        float s = 0.75f + rng.nextFloat();
        for (BinaryOp op : BinaryOp.values()) {
            float[] vv = new float[n + 2], vs = new float[n + 2], sv = new float[n + 2], st = new float[n + 2];
            ElementwiseKernels.binary(op, a, aOff, b, bOff, vv, 1, n);
            ElementwiseKernels.binaryScalarRight(op, a, aOff, s, vs, 1, n);
            ElementwiseKernels.binaryScalarLeft(op, s, b, bOff, sv, 1, n);
            ElementwiseKernels.binaryStrided(op, a, aOff, 1, b, bOff + n - 1, -1, st, 1, n);
            for (int i = 0; i < n; i++) {
                assertThat(vv[1 + i]).as("%s vv at %d", op, i).isEqualTo(ReferenceKernels.apply(op, a[aOff + i], b[bOff + i]));
                assertThat(vs[1 + i]).as("%s vs at %d", op, i).isEqualTo(ReferenceKernels.apply(op, a[aOff + i], s));
                assertThat(sv[1 + i]).as("%s sv at %d", op, i).isEqualTo(ReferenceKernels.apply(op, s, b[bOff + i]));
                assertThat(st[1 + i]).as("%s strided at %d", op, i).isEqualTo(ReferenceKernels.apply(op, a[aOff + i], b[bOff + n - 1 - i]));
            }
            // the slots around the run stay untouched
            assertThat(vv[0]).isZero();
            assertThat(vv[n + 1]).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void binaryInPlaceOverwritesTheInput(int[] c) {
        int n = c[0];
        Random rng = new Random(c[3]);
        float[] a = values(rng, n, -2, 2), b = values(rng, n, -2, 2), expect = new float[n];
        for (int i = 0; i < n; i++) expect[i] = a[i] * b[i];
        ElementwiseKernels.mul(a, 0, b, 0, a, 0, n);
        assertThat(a).containsExactly(expect);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void unaryFunctionsMatchMathWithinAFewUlps(int[] c) {
        int n = c[0], off = c[1];
        Random rng = new Random(c[3]);
        float[] x = values(rng, n + off, -4, 4), pos = values(rng, n + off, 0.05f, 6);
        float[] out = new float[n];
        ElementwiseKernels.exp(x, off, out, 0, n);
        for (int i = 0; i < n; i++) assertClose(out[i], Math.exp(x[off + i]), "exp");
        ElementwiseKernels.tanh(x, off, out, 0, n);
        for (int i = 0; i < n; i++) assertClose(out[i], Math.tanh(x[off + i]), "tanh");
        ElementwiseKernels.log(pos, off, out, 0, n);
        for (int i = 0; i < n; i++) assertClose(out[i], Math.log(pos[off + i]), "log");
        ElementwiseKernels.sqrt(pos, off, out, 0, n);
        for (int i = 0; i < n; i++) assertThat(out[i]).isEqualTo((float) Math.sqrt(pos[off + i]));
        for (float p : new float[] {2f, 0.5f, -1f, 1f, 1.7f, -0.3f}) {
            ElementwiseKernels.pow(pos, off, p, out, 0, n);
            for (int i = 0; i < n; i++) assertClose(out[i], Math.pow(pos[off + i], p), "pow " + p);
        }
        // integer exponents of negative bases keep their sign
        ElementwiseKernels.pow(x, off, 3f, out, 0, n);
        for (int i = 0; i < n; i++) assertClose(out[i], Math.pow(x[off + i], 3), "pow 3");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fusedBackwardRulesMatchPlainFormulas(int[] c) {
        int n = c[0], off = c[1];
        Random rng = new Random(c[3]);
        float[] g = values(rng, n + off, -2, 2), y = values(rng, n + off, -0.99f, 0.99f), pos = values(rng, n + off, 0.1f, 4);
        float[] out = new float[n];
        ElementwiseKernels.tanhBackward(g, off, y, off, out, 0, n);
        for (int i = 0; i < n; i++) assertClose(out[i], g[off + i] * (1.0 - (double) y[off + i] * y[off + i]), "tanh'");
        ElementwiseKernels.sqrtBackward(g, off, pos, off, out, 0, n);
        for (int i = 0; i < n; i++) assertClose(out[i], 0.5 * g[off + i] / pos[off + i], "sqrt'");
        for (float p : new float[] {2f, 3f, 0.5f, -1.5f}) {
            ElementwiseKernels.powBackward(g, off, pos, off, p, out, 0, n);
            for (int i = 0; i < n; i++) assertClose(out[i], g[off + i] * p * Math.pow(pos[off + i], p - 1), "pow' " + p);
        }
    }

    /**
     * exp, log, tanh and pow give the same bits on every call, from the first (interpreted) to the
     * last (compiled): their results must not depend on the JIT's progress.
     */
    @org.junit.jupiter.api.Test
    void transcendentalsGiveTheSameBitsInEveryJitTier() {
        Random rng = new Random(17);
        int n = 1027;
        float[] x = values(rng, n, 0.05f, 6), g = values(rng, n, -2, 2);
        float[][] first = new float[5][n];
        float[] out = new float[n];
        int[] changed = new int[5];
        for (int call = 0; call < 1500; call++) {
            for (int op = 0; op < 5; op++) {
                float[] dst = call == 0 ? first[op] : out;
                switch (op) {
                    case 0 -> ElementwiseKernels.exp(x, 0, dst, 0, n);
                    case 1 -> ElementwiseKernels.log(x, 0, dst, 0, n);
                    case 2 -> ElementwiseKernels.tanh(x, 0, dst, 0, n);
                    case 3 -> ElementwiseKernels.pow(x, 0, 1.7f, dst, 0, n);
                    default -> ElementwiseKernels.powBackward(g, 0, x, 0, -0.3f, dst, 0, n);
                }
                if (call > 0 && !java.util.Arrays.equals(out, first[op])) changed[op]++;
            }
        }
        assertThat(changed).as("calls whose result changed, for exp, log, tanh, pow, pow backward").containsOnly(0);
    }

    private static void assertClose(float actual, double expected, String what) {
        assertThat((double) actual).as(what).isCloseTo(expected, org.assertj.core.data.Offset.offset(2e-6 * Math.max(1, Math.abs(expected))));
    }
}
