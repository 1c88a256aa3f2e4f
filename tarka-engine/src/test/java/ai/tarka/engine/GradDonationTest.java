package ai.tarka.engine;

import static ai.tarka.engine.TestTensors.normal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backward pass hands a node's gradient storage to one input when the node's output drops it ({@link
 * Tensor#accumulateGradDonated}); {@link MatMul#linear} adds its bias in place. These tests check that no two
 * gradients end up sharing storage, that a retained gradient is never given away, and that the results are bit for
 * bit those of the unfused, copying path.
 */
class GradDonationTest {

    static LongStream seeds() {
        return LongStream.of(41, 42, 43);
    }

    private static Tensor leaf(Tensor t) {
        return Tensor.of(t.toArray(), t.shape()).requiresGrad(true);
    }

    /** {@code y = reshape(x) + x'} where both inputs of the add and the reshape's input are leaves. */
    @ParameterizedTest
    @MethodSource("seeds")
    void reshapeAndResidualGradientsDoNotShareStorage(long seed) {
        Random rng = new Random(seed);
        int r = 2 + rng.nextInt(4), c = 3 + 2 * rng.nextInt(5);
        Tensor a = leaf(normal(rng, r, c)), b = leaf(normal(rng, r * c));
        Tensor w = normal(rng, r * c);
        Tensor y = a.reshape(r * c).add(b).mul(w).sum();
        y.backward();
        assertThat(a.grad().data()).isNotSameAs(b.grad().data());
        assertThat(a.grad().toArray()).containsExactly(w.toArray());
        assertThat(b.grad().toArray()).containsExactly(w.toArray());
        // a later pass accumulates into each gradient separately
        a.reshape(r * c).add(b).mul(w).sum().backward();
        float[] twice = w.toArray();
        for (int i = 0; i < twice.length; i++) twice[i] *= 2;
        assertThat(a.grad().toArray()).containsExactly(twice);
        assertThat(b.grad().toArray()).containsExactly(twice);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aRetainedGradientIsNotGivenAway(long seed) {
        Random rng = new Random(seed);
        int r = 2 + rng.nextInt(4), c = 3 + 2 * rng.nextInt(5);
        Tensor a = leaf(normal(rng, r, c));
        Tensor mid = a.mul(Tensor.full(2f, r, c)).retainGrad();
        Tensor flat = mid.reshape(r * c);
        Tensor w = normal(rng, r * c);
        flat.mul(w).sum().backward();
        assertThat(mid.grad().data()).isNotSameAs(a.grad().data());
        float[] before = mid.grad().toArray();
        a.grad().data()[0] += 100f;   // touching a's gradient must leave mid's alone
        assertThat(mid.grad().toArray()).containsExactly(before);
        assertThat(before).containsExactly(w.toArray());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void splitSlicesAddIntoOneGradient(long seed) {
        Random rng = new Random(seed);
        int r = 2 + rng.nextInt(4), c = 3 + rng.nextInt(4);
        Tensor x = leaf(normal(rng, r, 3 * c));
        Tensor[] parts = Indexing.split(x, -1, c);
        Tensor w0 = normal(rng, r, c), w2 = normal(rng, r, c);
        parts[0].mul(w0).sum().add(parts[2].mul(w2).sum()).backward();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                assertThat(x.grad().get(i, j)).isEqualTo(w0.get(i, j));
                assertThat(x.grad().get(i, c + j)).isZero();
                assertThat(x.grad().get(i, 2 * c + j)).isEqualTo(w2.get(i, j));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void linearEqualsMatmulPlusBiasBitForBit(long seed) {
        Random rng = new Random(seed);
        int m = 1 + rng.nextInt(9), k = 3 + rng.nextInt(11), n = 5 + rng.nextInt(13);
        Tensor x = normal(rng, m, k), w = normal(rng, n, k), b = normal(rng, n), up = normal(rng, m, n);
        Tensor x1 = leaf(x), w1 = leaf(w), b1 = leaf(b), x2 = leaf(x), w2 = leaf(w), b2 = leaf(b);
        Tensor fused = MatMul.linear(x1, w1, b1);
        Tensor plain = x2.matmul(w2.t()).add(b2);
        assertThat(fused.toArray()).containsExactly(plain.toArray());
        fused.backward(up);
        plain.backward(up);
        assertThat(x1.grad().toArray()).containsExactly(x2.grad().toArray());
        assertThat(w1.grad().toArray()).containsExactly(w2.grad().toArray());
        assertThat(b1.grad().toArray()).containsExactly(b2.grad().toArray());
        assertThat(MatMul.linear(x, w, null).toArray()).containsExactly(x.matmul(w.t()).toArray());
    }
}
