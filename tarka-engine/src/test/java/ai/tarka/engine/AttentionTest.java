package ai.tarka.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.kernels.attention.AttentionShape;
import ai.tarka.kernels.attention.ComposedAttention;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AttentionTest {

    /** Problems small enough for finite differences: B, Hq, Hkv, T, S, D and a mask. */
    static Stream<Arguments> gradientCases() {
        Random rng = new Random(31);
        int[] packed = new int[2 * 5];
        for (int i = 0; i < packed.length; i++) packed[i] = (i % 5) < 2 ? 0 : 1 + rng.nextInt(2);
        return Stream.of(
                Arguments.of("plain", 1, 2, 2, 4, 5, 3, AttentionMask.none()),
                Arguments.of("causal", 2, 2, 2, 5, 5, 3, AttentionMask.causal()),
                Arguments.of("causal-gqa", 1, 4, 2, 5, 5, 3, AttentionMask.causal()),
                Arguments.of("causal-cache-gqa3", 1, 3, 1, 3, 6, 5, AttentionMask.causal()),
                Arguments.of("padding-gqa", 2, 4, 1, 4, 6, 2, AttentionMask.padding(4, 6)),
                Arguments.of("causal-padding-fully-masked-batch", 2, 2, 1, 5, 5, 3, AttentionMask.causalWithPadding(3, 0)),
                Arguments.of("packed-gqa", 2, 2, 1, 5, 5, 4, AttentionMask.causalPacked(packed)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCases")
    void gradientsMatchFiniteDifferences(String name, int b, int hq, int hkv, int t, int s, int d, AttentionMask mask) {
        Random rng = new Random(name.hashCode());
        Tensor q = Tensor.randn(rng, 1f, b, hq, t, d).requiresGrad(true);
        Tensor k = Tensor.randn(rng, 1f, b, hkv, s, d).requiresGrad(true);
        Tensor v = Tensor.randn(rng, 1f, b, hkv, s, d).requiresGrad(true);
        GradCheck.defaults().check(name, in -> Attention.scaledDotProduct(in[0], in[1], in[2], mask), q, k, v);
    }

    @Test
    void gradientsFlowThroughTransposedViews() {
        // q, k, v laid out [B, T, H, D] as a projection produces them, viewed as [B, H, T, D]
        Random rng = new Random(4);
        Tensor q = Tensor.randn(rng, 1f, 1, 4, 2, 3).requiresGrad(true);
        Tensor k = Tensor.randn(rng, 1f, 1, 4, 1, 3).requiresGrad(true);
        Tensor v = Tensor.randn(rng, 1f, 1, 4, 1, 3).requiresGrad(true);
        GradCheck.defaults().check("transposed", in -> Attention.scaledDotProduct(
                in[0].transpose(1, 2), in[1].transpose(1, 2), in[2].transpose(1, 2), AttentionMask.causal(), 0.7f), q, k, v);
    }

    @Test
    void forwardMatchesTheComposedKernelAndTheDefaultScale() {
        Random rng = new Random(9);
        int b = 2, hq = 4, hkv = 2, t = 7, s = 7, d = 5;
        Tensor q = Tensor.randn(rng, 1f, b, hq, t, d), k = Tensor.randn(rng, 1f, b, hkv, s, d), v = Tensor.randn(rng, 1f, b, hkv, s, d);
        AttentionMask mask = AttentionMask.causalWithPadding(7, 4);
        float[] out = Attention.scaledDotProduct(q, k, v, mask).toArray();
        float[] expected = new float[out.length];
        new ComposedAttention(ai.tarka.kernels.ComputePool.shared()).forward(new AttentionShape(b, hq, hkv, t, s, d),
                mask.spec(), (float) (1 / Math.sqrt(d)), q.toArray(), k.toArray(), v.toArray(), expected);
        for (int i = 0; i < out.length; i++) assertThat(out[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void zeroQueriesAverageTheVisibleValues() {
        // equal scores: each query's output is the mean of the values it can see
        Random rng = new Random(2);
        Tensor q = Tensor.zeros(1, 1, 4, 3);
        Tensor k = Tensor.randn(rng, 1f, 1, 1, 4, 3), v = Tensor.randn(rng, 1f, 1, 1, 4, 3);
        Tensor out = Attention.scaledDotProduct(q, k, v, AttentionMask.causalPacked(new int[] {0, 0, 1, 1}));
        for (int i = 0; i < 4; i++) {
            int first = i < 2 ? 0 : 2;
            for (int x = 0; x < 3; x++) {
                float mean = 0;
                for (int j = first; j <= i; j++) mean += v.get(0, 0, j, x);
                mean /= (i - first + 1);
                assertThat(out.get(0, 0, i, x)).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void fullyPaddedBatchElementGivesZerosAndFiniteGradients() {
        Random rng = new Random(3);
        Tensor q = Tensor.randn(rng, 1f, 2, 2, 3, 4).requiresGrad(true);
        Tensor k = Tensor.randn(rng, 1f, 2, 2, 3, 4).requiresGrad(true);
        Tensor v = Tensor.randn(rng, 1f, 2, 2, 3, 4).requiresGrad(true);
        Tensor out = Attention.scaledDotProduct(q, k, v, AttentionMask.padding(3, 0));
        out.backward(Tensor.ones(2, 2, 3, 4));
        float[] o = out.toArray(), dq = q.grad().toArray(), dk = k.grad().toArray();
        for (int i = 24; i < 48; i++) {
            assertThat(o[i]).isZero();
            assertThat(dq[i]).isZero();
            assertThat(dk[i]).isZero();
        }
        assertThat(out.gradFn().op()).isEqualTo("scaledDotProduct");
    }

    @Test
    void wrongShapesNameTheOperationAndTheShapes() {
        Tensor q = Tensor.zeros(1, 4, 5, 8), k = Tensor.zeros(1, 2, 6, 8), v = Tensor.zeros(1, 2, 6, 8);
        assertThatThrownBy(() -> Attention.scaledDotProduct(Tensor.zeros(4, 5, 8), k, v, AttentionMask.none()))
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("scaledDotProduct").hasMessageContaining("rank 4");
        assertThatThrownBy(() -> Attention.scaledDotProduct(Tensor.zeros(1, 3, 5, 8), k, v, AttentionMask.none()))
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("not a multiple of kv heads").hasMessageContaining("[1, 3, 5, 8]")
                .hasMessageContaining("[1, 2, 6, 8]");
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, k, Tensor.zeros(1, 2, 6, 7), AttentionMask.none()))
                .isInstanceOf(ShapeException.class).hasMessageContaining("head sizes D differ");
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, k, Tensor.zeros(1, 2, 5, 8), AttentionMask.none()))
                .isInstanceOf(ShapeException.class).hasMessageContaining("same heads and length");
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, k, v, AttentionMask.causalWithPadding(3, 3)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("keyLengths has 2 entries for batch 1");
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, k, v, AttentionMask.padding(7)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("keyLengths[0] = 7");
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, k, v, AttentionMask.causalPacked(new int[5])))
                .isInstanceOf(ShapeException.class).hasMessageContaining("segment ids need as many keys as queries");
        Tensor square = Tensor.zeros(1, 2, 5, 8);
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, square, square, AttentionMask.causalPacked(new int[4])))
                .isInstanceOf(ShapeException.class).hasMessageContaining("expected B*T = 5");
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, k, v, AttentionMask.none(), -1f))
                .isInstanceOf(ShapeException.class).hasMessageContaining("scale must be positive");
    }

    @Test
    void masksCompareByContent() {
        assertThat(AttentionMask.causalWithPadding(3, 4)).isEqualTo(AttentionMask.causalWithPadding(3, 4))
                .isNotEqualTo(AttentionMask.padding(3, 4));
        int[] ids = {0, 1};
        AttentionMask m = AttentionMask.causalPacked(ids);
        ids[0] = 9; // defensive copy: the mask keeps what it was given
        assertThat(m.segmentIds()).containsExactly(0, 1);
    }
}
