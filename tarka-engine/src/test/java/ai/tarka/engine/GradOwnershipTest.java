package ai.tarka.engine;

import static ai.tarka.engine.TestTensors.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient storage ownership: {@link Tensor#accumulateGradOwned} adopts a fresh gradient instead of
 * copying it, so these tests look for the mistakes that would make two gradients share storage (a
 * tensor used twice, one gradient handed to two inputs, a pass-through of the incoming gradient) or
 * re-point a preallocated gradient buffer.
 */
class GradOwnershipTest {

    private static final GradCheck CHECK = GradCheck.defaults();
    private static final float SENTINEL = 12345f;

    static LongStream seeds() {
        return LongStream.of(31, 32, 33, 34);
    }

    /** Rows in [2, 5], columns odd in [3, 13]: never a multiple of a vector width. */
    private static int[] shape(Random rng) {
        return new int[] {2 + rng.nextInt(4), 3 + 2 * rng.nextInt(6)};
    }

    private static Tensor leafCopy(Tensor t) {
        return Tensor.of(t.toArray(), t.shape()).requiresGrad(true);
    }

    // ---------------------------------------------------------------- accumulateGradOwned itself

    @ParameterizedTest
    @MethodSource("seeds")
    void ownedGradientIsAdoptedThenAddedInto(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s);
        Tensor g1 = Tensor.randn(rng, 1f, s), g2 = Tensor.randn(rng, 1f, s);
        float[] v1 = g1.toArray(), v2 = g2.toArray();

        x.accumulateGradOwned(g1);
        assertThat(x.grad().data()).isSameAs(g1.data());
        assertThat(x.grad().toArray()).containsExactly(v1);

        x.accumulateGradOwned(g2);
        assertThat(x.grad().data()).isSameAs(g1.data()).isNotSameAs(g2.data());
        assertThat(g2.toArray()).containsExactly(v2);
        float[] sum = x.grad().toArray();
        for (int i = 0; i < sum.length; i++) assertThat(sum[i]).isEqualTo(v1[i] + v2[i]);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void ownedGradientIsAddedIntoAPreallocatedView(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        int n = s[0] * s[1], pad = 1 + rng.nextInt(5);
        float[] flat = new float[pad + n + pad];
        Arrays.fill(flat, SENTINEL);
        Tensor view = new Tensor(flat, pad, s, Shapes.contiguousStrides(s));
        Tensor base = Tensor.randn(rng, 1f, s);
        Strided.assign(view, base);
        Tensor x = normal(rng, s);
        x.setGrad(view);
        Tensor g = Tensor.randn(rng, 1f, s);

        x.accumulateGradOwned(g);

        assertThat(x.grad()).isSameAs(view);
        float[] got = view.toArray(), b = base.toArray(), gv = g.toArray();
        for (int i = 0; i < n; i++) assertThat(got[i]).isEqualTo(b[i] + gv[i]);
        assertSentinels(flat, pad, n);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void ownedGradientThatIsNotADenseArrayIsCopied(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        int n = s[0] * s[1];
        Tensor transposed = Tensor.randn(rng, 1f, s[1], s[0]).t();
        Tensor offset = Tensor.randn(rng, 1f, n + 3).slice(0, 3, n + 3).reshape(s);
        Tensor longer = new Tensor(Tensor.randn(rng, 1f, n + 2).data(), 0, s, Shapes.contiguousStrides(s));
        for (Tensor g : new Tensor[] {transposed, offset, longer}) {
            Tensor x = normal(rng, s);
            x.accumulateGradOwned(g);
            assertThat(x.grad().data()).isNotSameAs(g.data());
            assertThat(x.grad().data()).hasSize(n);
            assertThat(x.grad().isContiguous()).isTrue();
            assertThat(x.grad().toArray()).containsExactly(g.toArray());
        }
    }

    @Test
    void ownedGradientOfAnotherShapeIsRejectedAndIgnoredWithoutRequiresGrad() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
        assertThatThrownBy(() -> x.accumulateGradOwned(Tensor.zeros(3, 2)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("accumulateGrad")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
        Tensor frozen = Tensor.zeros(2, 3);
        frozen.accumulateGradOwned(Tensor.ones(2, 3));
        assertThat(frozen.grad()).isNull();
    }

    // ---------------------------------------------------------------- one tensor, several gradients

    @ParameterizedTest
    @MethodSource("seeds")
    void tensorAddedToItself(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s);
        Tensor w = Tensor.randn(rng, 1f, s);
        float[] wv = w.toArray();

        x.add(x).backward(w);

        assertThat(x.grad().data()).isNotSameAs(w.data());
        float[] got = x.grad().toArray();
        for (int i = 0; i < got.length; i++) assertThat(got[i]).isEqualTo(2 * wv[i]);
        Strided.fill(w, 0f);
        assertThat(x.grad().toArray()).containsExactly(got);

        x.setGrad(null);
        x.sub(x).backward(Tensor.ones(s));
        assertThat(x.grad().toArray()).containsOnly(0f);
    }

    /**
     * {@code y = (a + b) + a}: the outer add gives its incoming gradient to both of its inputs. Were
     * either to adopt it, the second gradient that {@code a} receives (from the inner add) would be
     * added into y's retained gradient and into b's.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void incomingGradientPassedToTwoInputsIsCopied(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s), b = normal(rng, s), c = normal(rng, s);
        Tensor g = Tensor.randn(rng, 1f, s);
        float[] gv = g.toArray();
        Tensor a = x.tanh();
        Tensor y = a.add(b).add(a).sub(c).retainGrad();
        y.backward(g);

        assertThat(y.grad().toArray()).containsExactly(gv);
        assertThat(b.grad().toArray()).containsExactly(gv);
        float[] xv = x.toArray(), gx = x.grad().toArray(), gc = c.grad().toArray();
        for (int i = 0; i < gv.length; i++) {
            float th = (float) Math.tanh(xv[i]);
            assertThat(gx[i]).isCloseTo(2 * gv[i] * (1 - th * th), within(1e-5f));
            assertThat(gc[i]).isEqualTo(-gv[i]);
        }
        assertThat(g.toArray()).containsExactly(gv);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void tensorMultipliedByItself(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s);
        Tensor w = Tensor.randn(rng, 1f, s);
        x.mul(x).backward(w);
        float[] xv = x.toArray(), wv = w.toArray(), got = x.grad().toArray();
        for (int i = 0; i < got.length; i++) assertThat(got[i]).isCloseTo(2 * xv[i] * wv[i], within(1e-5f));

        int k = s[1];
        Tensor sq = normal(rng, k, k);
        CHECK.check("x/x", t -> t[0].div(t[0]), TestTensors.awayFromZero(rng, 0.5f, 2f, s));
        CHECK.check("matmul(x, x)", t -> t[0].matmul(t[0]), sq);
        CHECK.check("matmul(x, x^T)", t -> t[0].matmul(t[0].t()), normal(rng, s));
        CHECK.check("swiglu(x, x)", t -> Activations.swiglu(t[0], t[0]), normal(rng, s));
        CHECK.check("layerNorm with x as weight", t -> Norms.layerNorm(t[0], t[0].select(0, 0), null, 1e-5f), normal(rng, s));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void tensorFeedingSeveralConsumersGetsTheSumOfTheirGradients(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s), w = Tensor.randn(rng, 0.5f, s[1], 4);
        Tensor lw = Tensor.randn(rng, 1f, s[1]).requiresGrad(true);
        // every branch adopts its own fresh gradient for x (or passes the incoming one through)
        @SuppressWarnings("unchecked")
        Function<Tensor, Tensor>[] branches = new Function[] {
                (Function<Tensor, Tensor>) t -> t.gelu(),
                (Function<Tensor, Tensor>) t -> t.exp(),
                (Function<Tensor, Tensor>) t -> t.tanh().mul(t),
                (Function<Tensor, Tensor>) t -> Norms.layerNorm(t, lw, null, 1e-5f),
                (Function<Tensor, Tensor>) t -> t.matmul(w).matmul(w.t()),
                (Function<Tensor, Tensor>) t -> t.add(1f),
                (Function<Tensor, Tensor>) t -> t.t().contiguous().t(),
                (Function<Tensor, Tensor>) t -> Activations.softmax(t, 0),
                (Function<Tensor, Tensor>) t -> t.slice(1, 1, s[1]).sum(1, true).expand(s),
        };
        Tensor seedGrad = Tensor.randn(rng, 1f, s);
        float[] expected = new float[x.numel()];
        for (Function<Tensor, Tensor> f : branches) {
            Tensor xi = leafCopy(x);
            f.apply(xi).backward(seedGrad);
            float[] gi = xi.grad().toArray();
            for (int i = 0; i < expected.length; i++) expected[i] += gi[i];
        }

        Tensor y = null;
        for (Function<Tensor, Tensor> f : branches) y = y == null ? f.apply(x) : y.add(f.apply(x));
        y.backward(seedGrad);

        float[] got = x.grad().toArray();
        for (int i = 0; i < got.length; i++) assertThat(got[i]).isCloseTo(expected[i], within(1e-4f * (1 + Math.abs(expected[i]))));
        CHECK.check("all branches", t -> {
            Tensor acc = null;
            for (Function<Tensor, Tensor> f : branches) acc = acc == null ? f.apply(t[0]) : acc.add(f.apply(t[0]));
            return acc;
        }, leafCopy(x));
    }

    // ---------------------------------------------------------------- preallocated gradients

    @ParameterizedTest
    @MethodSource("seeds")
    void preallocatedGradientViewsReceiveEveryPath(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        int k = 3 + 2 * rng.nextInt(3);
        Tensor x = normal(rng, s), w = normal(rng, s[1], k);
        Function<Tensor[], Tensor> loss = t -> t[0].matmul(t[1]).gelu().sum()     // GEMM straight into a preallocated gradient
                .add(t[0].gelu().mul(t[0]).sum())                                   // adopted fresh gradients
                .add(t[0].add(t[0]).matmul(t[1].exp()).mean())                      // gradOutput copies, GEMM
                .add(t[1].t().matmul(t[0].t()).sum());                              // transposed views
        Tensor xr = leafCopy(x), wr = leafCopy(w);
        loss.apply(new Tensor[] {xr, wr}).backward();

        int nx = x.numel(), nw = w.numel(), pad = 2 + rng.nextInt(3);
        float[] flat = new float[pad + nx + pad + nw + pad];
        Arrays.fill(flat, SENTINEL);
        Tensor gx = new Tensor(flat, pad, s, Shapes.contiguousStrides(s));
        Tensor gw = new Tensor(flat, 2 * pad + nx, w.shape(), Shapes.contiguousStrides(w.shape()));
        Strided.fill(gx, 0f);
        Strided.fill(gw, 0f);
        x.setGrad(gx);
        w.setGrad(gw);
        loss.apply(new Tensor[] {x, w}).backward();

        assertThat(x.grad()).isSameAs(gx);
        assertThat(w.grad()).isSameAs(gw);
        assertClose(gx.toArray(), xr.grad().toArray());
        assertClose(gw.toArray(), wr.grad().toArray());
        for (int i = 0; i < pad; i++) {
            assertThat(flat[i]).isEqualTo(SENTINEL);
            assertThat(flat[pad + nx + i]).isEqualTo(SENTINEL);
            assertThat(flat[flat.length - 1 - i]).isEqualTo(SENTINEL);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void secondBackwardAddsToTheFirst(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s), lw = normal(rng, s[1]), w = normal(rng, s[1], s[1]);
        Function<Tensor[], Tensor> loss = t -> Norms.layerNorm(t[0], t[1], null, 1e-5f).matmul(t[2].t()).gelu()
                .add(t[0]).mul(t[0]).sum();

        loss.apply(new Tensor[] {x, lw, w}).backward();
        Tensor[] leaves = {x, lw, w};
        Tensor[] firstGrads = new Tensor[3];
        float[][] first = new float[3][];
        for (int i = 0; i < 3; i++) {
            firstGrads[i] = leaves[i].grad();
            first[i] = leaves[i].grad().toArray();
        }

        Tensor again = loss.apply(new Tensor[] {x, lw, w});
        again.backward();
        for (int i = 0; i < 3; i++) {
            assertThat(leaves[i].grad()).isSameAs(firstGrads[i]);
            float[] twice = new float[first[i].length];
            for (int e = 0; e < twice.length; e++) twice[e] = 2 * first[i][e];
            assertClose(leaves[i].grad().toArray(), twice);
        }

        // the same recorded graph run backward once more adds a third copy
        again.backward();
        for (int i = 0; i < 3; i++) {
            float[] thrice = new float[first[i].length];
            for (int e = 0; e < thrice.length; e++) thrice[e] = 3 * first[i][e];
            assertClose(leaves[i].grad().toArray(), thrice);
        }
    }

    /**
     * A retained intermediate gradient accumulates across passes like a leaf's, but each pass
     * propagates only its own gradient: the second pass must not send the first pass's share again.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void retainedIntermediateAccumulatesWithoutPropagatingEarlierPasses(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s);
        Tensor g = Tensor.randn(rng, 1f, s);
        float[] gv = g.toArray();
        Tensor h = x.mul(3f).retainGrad();
        Tensor y = h.mul(2f).retainGrad();
        y.backward(g);
        y.backward(g);
        float[] gx = x.grad().toArray(), gh = h.grad().toArray(), gy = y.grad().toArray();
        for (int i = 0; i < gv.length; i++) {
            assertThat(gy[i]).isEqualTo(2 * gv[i]);
            assertThat(gh[i]).isCloseTo(4 * gv[i], within(1e-5f));
            assertThat(gx[i]).isCloseTo(12 * gv[i], within(1e-5f));
        }

        // a pass that does not reach the retained tensor leaves its gradient as it was
        Tensor side = x.mul(5f);
        side.backward(g);
        assertThat(h.grad().toArray()).containsExactly(gh);
    }

    // ---------------------------------------------------------------- independence after backward

    @ParameterizedTest
    @MethodSource("seeds")
    void gradientsDoNotShareStorage(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s), r = normal(rng, s), lw = normal(rng, s[1]), lb = normal(rng, s[1]);
        Tensor w = normal(rng, s[1], s[1]), bias = normal(rng, s[1]);

        Norms.AddNorm an = Norms.addLayerNorm(x, r, lw, lb, 1e-5f);              // one gradient to x and r
        Tensor stream = an.sum().retainGrad();
        Tensor wt = w.t().retainGrad();                                         // a view whose gradient w receives transposed
        Tensor h = an.normed().matmul(wt).add(bias).retainGrad();               // bias: a reduced gradient
        Tensor passed = h.add(0.5f).reshape(-1).retainGrad();                   // pass-throughs of the incoming gradient
        Tensor y = passed.reshape(s).add(stream).mul(stream.tanh());
        Tensor seedGrad = Tensor.randn(rng, 1f, s);
        y.retainGrad().backward(seedGrad);

        Tensor[] all = {x, r, lw, lb, w, bias, wt, stream, h, passed, y};
        for (Tensor t : all) assertThat(t.grad()).isNotNull();
        for (Tensor leaf : new Tensor[] {x, r, lw, lb, w, bias}) assertThat(leaf.grad().isContiguous()).isTrue();
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) assertThat(all[i].grad().data()).isNotSameAs(all[j].grad().data());
            assertThat(all[i].grad().data()).isNotSameAs(seedGrad.data());
        }
        float[] seedValues = seedGrad.toArray();
        float[][] before = new float[all.length][];
        for (int i = 0; i < all.length; i++) before[i] = all[i].grad().toArray();
        for (int i = 0; i < all.length; i++) {
            Strided.fill(all[i].grad(), SENTINEL);
            for (int j = 0; j < all.length; j++) {
                if (j != i) assertThat(all[j].grad().toArray()).as("grad %d after writing grad %d", j, i).containsExactly(before[j]);
            }
            assertThat(seedGrad.toArray()).containsExactly(seedValues);
            Strided.assign(all[i].grad(), Tensor.of(before[i], all[i].shape()));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void leafRootDoesNotKeepTheCallersSeed(long seed) {
        Random rng = new Random(seed);
        int[] s = shape(rng);
        Tensor x = normal(rng, s);
        Tensor g = Tensor.randn(rng, 1f, s);
        float[] gv = g.toArray();
        x.backward(g);
        Strided.fill(g, 0f);
        assertThat(x.grad().toArray()).containsExactly(gv);

        Tensor scalar = Tensor.scalar(2f).requiresGrad(true);
        scalar.backward();
        scalar.backward();
        assertThat(scalar.grad().item()).isEqualTo(2f);
    }

    // ---------------------------------------------------------------- helpers

    private static void assertClose(float[] got, float[] want) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-4f * (1 + Math.abs(want[i]))));
        }
    }

    private static void assertSentinels(float[] flat, int pad, int n) {
        for (int i = 0; i < pad; i++) {
            assertThat(flat[i]).isEqualTo(SENTINEL);
            assertThat(flat[pad + n + i]).isEqualTo(SENTINEL);
        }
    }
}
