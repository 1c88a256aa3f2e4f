package ai.tarka.engine;

import static ai.tarka.engine.TestTensors.distinct;
import static ai.tarka.engine.TestTensors.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReductionsTest {

    private static final GradCheck CHECK = GradCheck.defaults();

    static Stream<Object[]> shapes() {
        List<Object[]> out = new ArrayList<>();
        out.add(new Object[] {new int[] {5}, 1L});
        out.add(new Object[] {new int[] {2, 3, 4}, 2L});
        out.add(new Object[] {new int[] {1, 7}, 3L});
        Random rng = new Random(31);
        for (int i = 0; i < 5; i++) out.add(new Object[] {TestTensors.shape(rng, 1 + rng.nextInt(3), 5), rng.nextLong()});
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void sumAndMeanMatchPlainLoops(int[] shape, long seed) {
        Random rng = new Random(seed);
        Tensor x = normal(rng, shape).detach();
        float[] v = x.toArray();
        double total = 0;
        for (float f : v) total += f;
        assertThat(x.sum().shape()).isEmpty();
        assertThat(x.sum().item()).isCloseTo((float) total, within(1e-5f));
        assertThat(x.mean().item()).isCloseTo((float) (total / v.length), within(1e-6f));
        for (int d = 0; d < shape.length; d++) {
            int[] kept = shape.clone();
            kept[d] = 1;
            double[] ref = new double[v.length / shape[d]];
            for (int e = 0; e < v.length; e++) {
                int[] idx = TestTensors.unravel(e, shape);
                idx[d] = 0;
                ref[flat(idx, kept)] += v[e];
            }
            Tensor s = x.sum(d, true), m = x.mean(d, false);
            assertThat(s.shape()).containsExactly(kept);
            assertThat(m.dim()).isEqualTo(shape.length - 1);
            float[] sv = s.toArray(), mv = m.toArray();
            for (int i = 0; i < ref.length; i++) {
                assertThat(sv[i]).isCloseTo((float) ref[i], within(1e-5f));
                assertThat(mv[i]).isCloseTo((float) (ref[i] / shape[d]), within(1e-5f));
            }
        }
    }

    private static int flat(int[] idx, int[] shape) {
        int p = 0;
        for (int d = 0; d < shape.length; d++) p = p * shape[d] + idx[d];
        return p;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void sumAndMeanGradients(int[] shape, long seed) {
        Random rng = new Random(seed);
        Tensor x = normal(rng, shape);
        CHECK.check("sum", t -> t[0].sum(), x);
        CHECK.check("mean", t -> t[0].mean(), x);
        for (int d = -shape.length; d < shape.length; d++) {
            int dim = d;
            CHECK.check("sum dim " + d, t -> t[0].sum(dim, dim % 2 == 0), x);
            CHECK.check("mean dim " + d, t -> t[0].mean(dim, dim % 2 != 0), x);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void maxGradients(int[] shape, long seed) {
        Random rng = new Random(seed);
        Tensor x = distinct(rng, shape);
        CHECK.check("max", t -> t[0].max(), x);
        for (int d = 0; d < shape.length; d++) {
            int dim = d;
            CHECK.check("max dim " + d, t -> t[0].max(dim, true), x);
            CHECK.check("max dim " + d + " dropped", t -> t[0].max(dim, false), x);
        }
    }

    @Test
    void maxSendsTheGradientToTheFirstMaximalElement() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, 2, 2}, 2, 3).requiresGrad(true);
        Tensor m = x.max(1, false);
        assertThat(m.toArray()).containsExactly(3, 2);
        m.backward(Tensor.of(new float[] {10, 20}, 2));
        assertThat(x.grad().toArray()).containsExactly(0, 10, 0, 0, 20, 0);

        Tensor y = Tensor.of(new float[] {5, 1, 5, 5}, 2, 2).requiresGrad(true);
        Tensor col = y.max(0, true);
        assertThat(col.shape()).containsExactly(1, 2);
        col.backward(Tensor.of(new float[] {1, 2}, 1, 2));
        assertThat(y.grad().toArray()).containsExactly(1, 0, 0, 2);

        Tensor z = Tensor.of(new float[] {4, 7, 7}, 3).requiresGrad(true);
        z.max().backward();
        assertThat(z.grad().toArray()).containsExactly(0, 1, 0);
    }

    @Test
    void reductionsOfStridedViews() {
        Random rng = new Random(12);
        Tensor x = normal(rng, 4, 6);
        CHECK.check("sum of transpose", t -> t[0].t().sum(1, false), x);
        CHECK.check("mean of slice", t -> t[0].slice(1, 1, 5).mean(0, true), x);
        CHECK.check("max of transposed slice", t -> t[0].t().slice(0, 2, 5).max(1, false), distinct(rng, 4, 6));
        Tensor v = x.detach().t().slice(0, 1, 4);
        float[] rows = v.sum(1, false).toArray(), dense = v.contiguous().sum(1, false).toArray();
        for (int i = 0; i < rows.length; i++) assertThat(rows[i]).isCloseTo(dense[i], within(1e-6f));
    }

    static Stream<Object[]> sumToCases() {
        return Stream.of(
                new Object[] {new int[] {2, 3, 4}, new int[] {4}},
                new Object[] {new int[] {2, 3, 4}, new int[] {3, 1}},
                new Object[] {new int[] {2, 3, 4}, new int[] {2, 1, 4}},
                new Object[] {new int[] {2, 3, 4}, new int[] {}},
                new Object[] {new int[] {2, 3, 4}, new int[] {1, 1, 1}},
                new Object[] {new int[] {5, 7}, new int[] {5, 7}},
                new Object[] {new int[] {3, 1, 5}, new int[] {1, 5}});
    }

    @ParameterizedTest
    @MethodSource("sumToCases")
    void sumToIsTheAdjointOfExpand(int[] from, int[] to) {
        Random rng = new Random(from.length * 31L + to.length);
        Tensor g = normal(rng, from);
        Tensor s = Reductions.sumTo(g, to);
        assertThat(s.shape()).containsExactly(to);
        // <sumTo(g), y> == <g, expand(y)> for any y
        Tensor y = Tensor.randn(rng, 1f, to);
        double lhs = dot(s.toArray(), y.toArray()), rhs = dot(g.toArray(), y.expand(from).toArray());
        assertThat(lhs).isCloseTo(rhs, within(1e-4));
        CHECK.check("sumTo " + java.util.Arrays.toString(to), t -> Reductions.sumTo(t[0], to), g);
        // and expand's backward goes through sumTo
        Tensor small = normal(rng, to);
        CHECK.check("expand", t -> t[0].expand(from), small);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    @Test
    void largeColumnAndRowSums() {
        Random rng = new Random(5);
        Tensor x = Tensor.randn(rng, 1f, 257, 301);
        float[] v = x.toArray();
        float[] cols = Reductions.sumTo(x, new int[] {301}).toArray(), rows = x.sum(1, false).toArray();
        for (int j = 0; j < 301; j++) {
            double s = 0;
            for (int i = 0; i < 257; i++) s += v[i * 301 + j];
            assertThat(cols[j]).isCloseTo((float) s, within(2e-4f));
        }
        for (int i = 0; i < 257; i++) {
            double s = 0;
            for (int j = 0; j < 301; j++) s += v[i * 301 + j];
            assertThat(rows[i]).isCloseTo((float) s, within(2e-4f));
        }
        double all = 0;
        for (float f : v) all += f;
        assertThat(x.sum().item()).isCloseTo((float) all, within(1e-3f));
    }

    @Test
    void errorsNameTheOpAndShape() {
        Tensor x = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> x.sum(2, false)).isInstanceOf(ShapeException.class).hasMessageStartingWith("sum:").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> x.mean(-3, true)).isInstanceOf(ShapeException.class).hasMessageStartingWith("mean:");
        assertThatThrownBy(() -> x.max(5, true)).isInstanceOf(ShapeException.class).hasMessageStartingWith("max:");
        assertThatThrownBy(() -> Tensor.zeros(0).max()).isInstanceOf(ShapeException.class).hasMessageStartingWith("max:");
        assertThatThrownBy(() -> Reductions.sumTo(x, new int[] {2})).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("sumTo:").hasMessageContaining("[2, 3]").hasMessageContaining("[2]");
        assertThatThrownBy(() -> Reductions.sumTo(x, new int[] {1, 2, 3})).isInstanceOf(ShapeException.class).hasMessageStartingWith("sumTo:");
    }
}
