package ai.tarka.finetune.lora;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.layers.Linear;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused adapter product and its gradients equal the same expression built from engine ops. */
class LoraProductTest {

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1L, 3, 7, 5, 2, false), Arguments.of(2L, 17, 33, 70, 4, false),
                Arguments.of(3L, 9, 129, 65, 3, true), Arguments.of(4L, 1, 5, 1, 1, true));
    }

    private static float[] randn(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesTheUnfusedExpression(long seed, int n, int in, int out, int r, boolean transposedInput) {
        Random rng = new Random(seed);
        Linear layer = new Linear(in, out, false);
        ai.tarka.engine.Strided.assign(layer.weight().tensor().detach(), Tensor.of(randn(rng, out * in), out, in));
        layer.weight().requiresGrad(false);
        float[] xv = randn(rng, n * in), av = randn(rng, r * in), bv = randn(rng, out * r), gv = randn(rng, n * out);
        float s = 0.5f + rng.nextFloat();
        Input x1 = input(xv, n, in, transposedInput), x2 = input(xv, n, in, transposedInput);
        Tensor a1 = Tensor.of(av.clone(), r, in).requiresGrad(true), a2 = Tensor.of(av.clone(), r, in).requiresGrad(true);
        Tensor b1 = Tensor.of(bv.clone(), out, r).requiresGrad(true), b2 = Tensor.of(bv.clone(), out, r).requiresGrad(true);

        Tensor fused = LoraProduct.apply(BaseWeight.PLAIN, layer, x1.view, a1, b1, s);
        Tensor w = layer.weight().tensor();
        Tensor reference = x2.view.matmul(w.t()).add(x2.view.matmul(a2.t()).mul(s).matmul(b2.t()));
        assertThat(fused.shape()).containsExactly(n, out);
        assertThat(fused.toArray()).containsExactly(reference.toArray(), Offset.offset(1e-4f));

        Tensor g = Tensor.of(gv, n, out);
        fused.mul(g).sum().backward();
        reference.mul(g).sum().backward();
        assertThat(a1.grad().toArray()).containsExactly(a2.grad().toArray(), Offset.offset(1e-3f));
        assertThat(b1.grad().toArray()).containsExactly(b2.grad().toArray(), Offset.offset(1e-3f));
        assertThat(x1.leaf.grad().toArray()).containsExactly(x2.leaf.grad().toArray(), Offset.offset(1e-3f));
        assertThat(layer.weight().tensor().grad()).as("frozen base weight").isNull();
    }

    private record Input(Tensor leaf, Tensor view) {}

    /** x as [n, in], either directly or as the transpose of an [in, n] leaf (a non-contiguous view). */
    private static Input input(float[] xv, int n, int in, boolean transposed) {
        if (!transposed) {
            Tensor leaf = Tensor.of(xv.clone(), n, in).requiresGrad(true);
            return new Input(leaf, leaf);
        }
        float[] t = new float[n * in];
        for (int i = 0; i < n; i++) for (int j = 0; j < in; j++) t[j * n + i] = xv[i * in + j];
        Tensor leaf = Tensor.of(t, in, n).requiresGrad(true);
        return new Input(leaf, leaf.t());
    }
}
