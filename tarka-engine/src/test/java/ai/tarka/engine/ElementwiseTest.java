package ai.tarka.engine;

import static ai.tarka.engine.TestTensors.awayFromZero;
import static ai.tarka.engine.TestTensors.normal;
import static ai.tarka.engine.TestTensors.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ElementwiseTest {

    private static final GradCheck CHECK = GradCheck.defaults();

    /** Pairs of broadcast-compatible shapes: the named transformer cases plus seeded random ones. */
    static Stream<Object[]> shapePairs() {
        List<Object[]> out = new ArrayList<>();
        int[][][] fixed = {
                {{2, 3, 4}, {4}}, {{4}, {2, 3, 4}}, {{2, 1, 4}, {3, 1}}, {{}, {2, 3}}, {{2, 3}, {}}, {{}, {}},
                {{3, 5}, {3, 5}}, {{1}, {3, 1, 2}}, {{2, 3, 5}, {2, 3, 1}}, {{2, 3, 5}, {3, 5}},
        };
        long seed = 100;
        for (int[][] f : fixed) out.add(new Object[] {f[0], f[1], seed++});
        Random rng = new Random(7);
        for (int i = 0; i < 8; i++) {
            int[] shape = TestTensors.shape(rng, 1 + rng.nextInt(3), 5);
            int[] a = shape.clone(), b = shape.clone();
            for (int d = 0; d < shape.length; d++) {
                int pick = rng.nextInt(4);
                if (pick == 0) a[d] = 1;
                else if (pick == 1) b[d] = 1;
            }
            if (rng.nextBoolean()) b = java.util.Arrays.copyOfRange(b, rng.nextInt(b.length + 1), b.length);
            out.add(new Object[] {a, b, seed++});
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("shapePairs")
    void binaryForwardMatchesPerElementBroadcast(int[] as, int[] bs, long seed) {
        Random rng = new Random(seed);
        Tensor a = normal(rng, as), b = awayFromZero(rng, 0.5f, 2f, bs);
        checkForward(a, b, Elementwise::add, (x, y) -> x + y);
        checkForward(a, b, Elementwise::sub, (x, y) -> x - y);
        checkForward(a, b, Elementwise::mul, (x, y) -> x * y);
        checkForward(a, b, Elementwise::div, (x, y) -> x / y);
    }

    private static void checkForward(Tensor a, Tensor b, BinaryOperator<Tensor> op, BinaryOperator<Float> ref) {
        Tensor y = op.apply(a, b);
        int[] shape = Shapes.broadcast("test", a.shape(), b.shape());
        assertThat(y.shape()).containsExactly(shape);
        float[] got = y.toArray();
        for (int e = 0; e < got.length; e++) {
            int[] idx = TestTensors.unravel(e, shape);
            assertThat(got[e]).isEqualTo(ref.apply(TestTensors.broadcastGet(a, idx), TestTensors.broadcastGet(b, idx)));
        }
    }

    @ParameterizedTest
    @MethodSource("shapePairs")
    void binaryGradientsReduceToEachInputShape(int[] as, int[] bs, long seed) {
        Random rng = new Random(seed);
        Tensor a = normal(rng, as), b = normal(rng, bs), d = awayFromZero(rng, 0.5f, 2f, bs);
        CHECK.check("add", t -> t[0].add(t[1]), a, b);
        CHECK.check("sub", t -> t[0].sub(t[1]), a, b);
        CHECK.check("mul", t -> t[0].mul(t[1]), a, b);
        CHECK.check("div", t -> t[0].div(t[1]), a, d);
    }

    @Test
    void stridedAndSlicedOperandsReadThroughTheirViews() {
        Random rng = new Random(3);
        Tensor a = normal(rng, 4, 3), b = normal(rng, 3, 4), c = normal(rng, 5, 6), s = awayFromZero(rng, 0.5f, 2, 3, 7);
        // transposed [3,4] view times a contiguous [3,4]
        CHECK.check("transposed mul", t -> t[0].t().mul(t[1]), a, b);
        // a slice (offset, row stride 6) plus a transposed view broadcast against a row
        CHECK.check("sliced add", t -> t[0].slice(1, 1, 5).add(t[1].t().select(0, 1)), c, a);
        CHECK.check("sliced div", t -> t[0].slice(0, 1, 4).slice(1, 2, 6).div(t[1].slice(1, 3, 7)), c, s);
        Tensor view = a.detach().t().slice(1, 1, 3);
        assertThat(view.add(Tensor.scalar(1f)).toArray()).containsExactly(plusOne(view.toArray()));
    }

    private static float[] plusOne(float[] v) {
        float[] o = v.clone();
        for (int i = 0; i < o.length; i++) o[i] += 1f;
        return o;
    }

    @Test
    void sameTensorOnBothSidesAccumulatesBothGradients() {
        Random rng = new Random(4);
        Tensor a = normal(rng, 3, 4);
        CHECK.check("x*x", t -> t[0].mul(t[0]), a);
        CHECK.check("x+x^T broadcast", t -> t[0].sub(t[0].select(0, 1)), a);
    }

    static Stream<Object[]> unaryShapes() {
        Random rng = new Random(21);
        List<Object[]> out = new ArrayList<>();
        out.add(new Object[] {new int[] {}, 1L});
        for (int i = 0; i < 5; i++) out.add(new Object[] {TestTensors.shape(rng, 1 + rng.nextInt(3), 6), rng.nextLong()});
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("unaryShapes")
    void scalarOperandGradients(int[] shape, long seed) {
        Random rng = new Random(seed);
        Tensor a = normal(rng, shape);
        CHECK.check("addScalar", t -> t[0].add(1.5f), a);
        CHECK.check("mulScalar", t -> t[0].mul(-0.7f), a);
        CHECK.check("neg", t -> t[0].neg(), a);
        assertThat(a.detach().add(2f).toArray()).containsExactly(map(a, v -> v + 2f));
        assertThat(a.detach().mul(3f).toArray()).containsExactly(map(a, v -> v * 3f));
    }

    @ParameterizedTest
    @MethodSource("unaryShapes")
    void unaryFunctionGradients(int[] shape, long seed) {
        Random rng = new Random(seed);
        Tensor x = uniform(rng, -1.5f, 1.5f, shape), pos = uniform(rng, 0.5f, 3f, shape);
        CHECK.check("exp", t -> t[0].exp(), x);
        CHECK.check("tanh", t -> t[0].tanh(), x);
        CHECK.check("log", t -> t[0].log(), pos);
        CHECK.check("sqrt", t -> t[0].sqrt(), pos);
        CHECK.check("pow 2", t -> t[0].pow(2f), x);
        CHECK.check("pow 3", t -> t[0].pow(3f), x);
        CHECK.check("pow -0.5", t -> t[0].pow(-0.5f), pos);
        CHECK.check("pow 1.7", t -> t[0].pow(1.7f), pos);
        // through a strided view
        if (shape.length == 2) CHECK.check("exp of transpose", t -> t[0].t().exp(), x);
    }

    @ParameterizedTest
    @MethodSource("unaryShapes")
    void unaryForwardValues(int[] shape, long seed) {
        Random rng = new Random(seed);
        Tensor x = uniform(rng, -1.5f, 1.5f, shape).detach(), pos = uniform(rng, 0.5f, 3f, shape).detach();
        assertClose(x.exp().toArray(), map(x, v -> (float) Math.exp(v)));
        assertClose(x.tanh().toArray(), map(x, v -> (float) Math.tanh(v)));
        assertClose(pos.log().toArray(), map(pos, v -> (float) Math.log(v)));
        assertClose(pos.sqrt().toArray(), map(pos, v -> (float) Math.sqrt(v)));
        assertClose(pos.pow(1.7f).toArray(), map(pos, v -> (float) Math.pow(v, 1.7)));
        assertThat(x.exp().shape()).containsExactly(shape);
    }

    @Test
    void largeTensorsTakeTheParallelPathAndStayExact() {
        Random rng = new Random(9);
        Tensor a = Tensor.randn(rng, 1f, 6, 70, 130), b = Tensor.randn(rng, 1f, 130), col = Tensor.randn(rng, 1f, 6, 70, 1);
        float[] sum = a.add(b).toArray(), prod = a.mul(col).toArray(), av = a.toArray(), bv = b.toArray(), cv = col.toArray();
        for (int e = 0; e < av.length; e++) {
            assertThat(sum[e]).isEqualTo(av[e] + bv[e % 130]);
            assertThat(prod[e]).isEqualTo(av[e] * cv[e / 130]);
        }
        assertClose(a.exp().toArray(), map(a, v -> (float) Math.exp(v)));
    }

    @Test
    void shapeMismatchNamesTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4);
        for (String op : new String[] {"add", "sub", "mul", "div"}) {
            assertThatThrownBy(() -> {
                switch (op) {
                    case "add" -> a.add(b);
                    case "sub" -> a.sub(b);
                    case "mul" -> a.mul(b);
                    default -> a.div(b);
                }
            }).isInstanceOf(ShapeException.class).hasMessageStartingWith(op + ":")
                    .hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
        }
    }

    @Test
    void gradientsAreNotRecordedWithoutGradMode() {
        Tensor a = Tensor.ones(2).requiresGrad(true);
        try (var g = GradMode.disable()) {
            assertThat(a.mul(a).exp().requiresGrad()).isFalse();
        }
        assertThat(a.mul(a).gradFn().op()).isEqualTo("mul");
    }

    private interface FloatFn {
        float apply(float v);
    }

    private static float[] map(Tensor t, FloatFn f) {
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) v[i] = f.apply(v[i]);
        return v;
    }

    private static void assertClose(float[] got, float[] want) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < got.length; i++) assertThat(got[i]).isCloseTo(want[i], within(3e-6f * Math.max(1f, Math.abs(want[i]))));
    }
}
