package ai.tarka.kernels.attention;

import static ai.tarka.kernels.attention.Closeness.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.kernels.attention.AttentionCases.Case;
import ai.tarka.kernels.attention.AttentionCases.Inputs;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FlashAttentionTest {
    // float32 kernels against a double reference: scores are O(1), rows sum up to ~45 keys and
    // gradients up to ~45 rows times 3 heads, so a few 1e-6 of rounding per element is expected.
    private static final double ATOL = 2e-5;
    private static final double RTOL = 1e-4;

    static Stream<Case> randomCases() {
        return AttentionCases.random(0xF1A5L, 90, true).stream();
    }

    /** Bigger problems on the production block sizes, so several full 64-blocks and the GQA paths run. */
    static Stream<Case> productionBlockCases() {
        Random rng = new Random(77);
        float scale = (float) (1 / Math.sqrt(64));
        return Stream.of(
                new Case("causal-150", new AttentionShape(1, 2, 1, 150, 150, 64), AttentionMaskSpec.CAUSAL, scale,
                        64, 64, 2, 0, true, 1),
                new Case("causal-cache", new AttentionShape(1, 3, 3, 70, 131, 33), AttentionMaskSpec.CAUSAL,
                        (float) (1 / Math.sqrt(33)), 64, 64, 3, 0, true, 2),
                new Case("padding-gqa", new AttentionShape(2, 4, 2, 129, 129, 16),
                        new AttentionMaskSpec(true, new int[] {129, 70}, null), 0.25f, 64, 64, 2, 2, true, 3),
                new Case("packed", new AttentionShape(1, 2, 2, 200, 200, 64),
                        new AttentionMaskSpec(true, null, AttentionCases.segments(rng, 1, 200)), scale,
                        64, 64, 3, 0, true, 4),
                new Case("scalar-causal", new AttentionShape(1, 2, 1, 97, 97, 64), AttentionMaskSpec.CAUSAL, scale,
                        64, 64, 2, 0, false, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"randomCases", "productionBlockCases"})
    void forwardAndBackwardMatchTheReference(Case c) {
        Inputs in = c.inputs();
        AttentionShape s = c.shape();
        FlashAttention fused = c.fused();
        float[] o = new float[s.queryElements()], lse = new float[s.rows()];
        fused.forward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), o, lse);

        ReferenceAttention.Forward ref = ReferenceAttention.forward(s, c.mask(), c.scale(), in.q(), in.k(), in.v());
        assertClose("o", o, ref.o(), ATOL, RTOL);
        assertClose("lse", lse, ref.lse(), ATOL, RTOL);

        float[] dq = new float[s.queryElements()], dk = new float[s.keyElements()], dv = new float[s.keyElements()];
        fused.backward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), o, lse, in.dO(), dq, dk, dv);
        ReferenceAttention.Gradients g = ReferenceAttention.backward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), in.dO());
        assertClose("dq", dq, g.dq(), ATOL, RTOL);
        assertClose("dk", dk, g.dk(), ATOL, RTOL);
        assertClose("dv", dv, g.dv(), ATOL, RTOL);
    }

    @Test
    void rowsThatSeeNoKeyGiveZeroOutputAndNoGradient() {
        // batch 0 is fully padded; in batch 1 the causal window of a 6-key cache leaves the first 3 of 9
        // queries with nothing to see (query i sees keys j <= i - 3)
        AttentionShape s = new AttentionShape(2, 2, 1, 9, 6, 7);
        AttentionMaskSpec mask = new AttentionMaskSpec(true, new int[] {0, 6}, null);
        Random rng = new Random(5);
        float[] q = AttentionCases.gaussian(rng, s.queryElements()), k = AttentionCases.gaussian(rng, s.keyElements());
        float[] v = AttentionCases.gaussian(rng, s.keyElements()), dO = AttentionCases.gaussian(rng, s.queryElements());
        for (boolean vector : new boolean[] {true, false}) {
            FlashAttention fused = new FlashAttention(AttentionCases.pool(2), 4, 5, 0, vector);
            float[] o = new float[s.queryElements()], lse = new float[s.rows()];
            Arrays.fill(o, Float.NaN); // stale contents must be overwritten
            fused.forward(s, mask, 0.4f, q, k, v, o, lse);
            float[] dq = new float[s.queryElements()], dk = new float[s.keyElements()], dv = new float[s.keyElements()];
            fused.backward(s, mask, 0.4f, q, k, v, o, lse, dO, dq, dk, dv);
            int perBatch = s.queryHeads() * s.queryLen() * s.headDim();
            for (int i = 0; i < perBatch; i++) {
                assertThat(o[i]).as("o of padded batch").isZero();
                assertThat(dq[i]).as("dq of padded batch").isZero();
            }
            for (int i = 0; i < s.keyElements() / 2; i++) {
                assertThat(dk[i]).as("dk of padded batch").isZero();
                assertThat(dv[i]).as("dv of padded batch").isZero();
            }
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 9; i++) {
                    int row = (2 + h) * 9 + i;
                    if (i < 3) {
                        assertThat(lse[row]).isEqualTo(Float.NEGATIVE_INFINITY);
                        for (int x = 0; x < 7; x++) assertThat(dq[row * 7 + x]).isZero();
                    } else {
                        assertThat(lse[row]).isFinite();
                    }
                }
            }
            for (float x : dk) assertThat(x).isFinite();
            assertClose("o", o, ReferenceAttention.forward(s, mask, 0.4f, q, k, v).o(), ATOL, RTOL);
        }
    }

    @Test
    void resultsAreBitwiseRepeatableForAFixedThreadCount() {
        for (Case c : AttentionCases.random(99, 12, true)) {
            Inputs in = c.inputs();
            float[][] first = runBoth(c, c.fused(), in), second = runBoth(c, c.fused(), in);
            for (int i = 0; i < first.length; i++) assertThat(second[i]).as(c + " output " + i).isEqualTo(first[i]);
        }
    }

    @Test
    void forwardDoesNotDependOnTheThreadCount() {
        for (Case c : AttentionCases.random(123, 8, true)) {
            Inputs in = c.inputs();
            AttentionShape s = c.shape();
            float[] o1 = new float[s.queryElements()], o3 = new float[s.queryElements()];
            float[] l1 = new float[s.rows()], l3 = new float[s.rows()];
            new FlashAttention(AttentionCases.pool(1), c.queryBlock(), c.keyBlock(), 0, c.vector())
                    .forward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), o1, l1);
            new FlashAttention(AttentionCases.pool(3), c.queryBlock(), c.keyBlock(), 0, c.vector())
                    .forward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), o3, l3);
            assertThat(o3).as(c.toString()).isEqualTo(o1);
            assertThat(l3).as(c.toString()).isEqualTo(l1);
        }
    }

    @Test
    void backwardQueryGroupingOnlyChangesRounding() {
        AttentionShape s = new AttentionShape(1, 3, 1, 37, 37, 16);
        Case c = new Case("grouping", s, AttentionMaskSpec.CAUSAL, 0.25f, 8, 8, 3, 1, true, 11);
        Inputs in = c.inputs();
        float[][] one = runBoth(c, c.fused(), in);
        float[][] four = runBoth(c, new FlashAttention(AttentionCases.pool(3), 8, 8, 4, true), in);
        ReferenceAttention.Gradients g = ReferenceAttention.backward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), in.dO());
        assertClose("dk groups=1", one[2], g.dk(), ATOL, RTOL);
        assertClose("dk groups=4", four[2], g.dk(), ATOL, RTOL);
        assertClose("dq groups=4", four[1], g.dq(), ATOL, RTOL);
    }

    @Test
    void automaticGroupingSplitsQueriesOnlyWhenKvHeadsAreScarce() {
        FlashAttention fused = new FlashAttention(AttentionCases.pool(3));
        assertThat(fused.queryGroups(new AttentionShape(8, 6, 6, 256, 256, 64))).isEqualTo(1); // 48 pairs
        assertThat(fused.queryGroups(new AttentionShape(1, 6, 6, 256, 256, 64))).isEqualTo(1); // 6 pairs, 2 each
        assertThat(fused.queryGroups(new AttentionShape(1, 8, 1, 1024, 1024, 64))).isEqualTo(12);
        assertThat(fused.queryGroups(new AttentionShape(1, 4, 4, 1024, 1024, 64))).isEqualTo(3);
        assertThat(fused.queryGroups(new AttentionShape(1, 8, 1, 10, 10, 64))).isEqualTo(1); // one query block
    }

    @Test
    void extraMemoryGrowsLinearlyWithSequenceLength() {
        FlashAttention fused = new FlashAttention(AttentionCases.pool(2));
        long at256 = fused.extraBytes(new AttentionShape(8, 6, 6, 256, 256, 64));
        long at1024 = fused.extraBytes(new AttentionShape(8, 6, 6, 1024, 1024, 64));
        long at4096 = fused.extraBytes(new AttentionShape(8, 6, 6, 4096, 4096, 64));
        assertThat(at4096 - at1024).isEqualTo(4 * (at1024 - at256));
        assertThat(ComposedAttention.extraBytes(new AttentionShape(8, 6, 6, 1024, 1024, 64)))
                .isEqualTo(16 * ComposedAttention.extraBytes(new AttentionShape(8, 6, 6, 256, 256, 64)));
    }

    @Test
    void wrongArgumentsNameTheOperationAndShape() {
        AttentionShape s = new AttentionShape(1, 2, 1, 4, 5, 3);
        float[] q = new float[s.queryElements()], kv = new float[s.keyElements()];
        float[] o = new float[s.queryElements()], lse = new float[s.rows()];
        FlashAttention fused = FlashAttention.shared();
        assertThatThrownBy(() -> fused.forward(s, AttentionMaskSpec.NONE, 1f, q, new float[3], kv, o, lse))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FlashAttention.forward").hasMessageContaining("k has 3 floats")
                .hasMessageContaining("q [1, 2, 4, 3], k/v [1, 1, 5, 3]");
        assertThatThrownBy(() -> fused.forward(s, new AttentionMaskSpec(true, null, new int[4]), 1f, q, kv, kv, o, lse))
                .hasMessageContaining("segment ids need keyLen == queryLen");
        assertThatThrownBy(() -> fused.forward(s, new AttentionMaskSpec(false, new int[] {6}, null), 1f, q, kv, kv, o, lse))
                .hasMessageContaining("keyLengths[0] = 6 outside [0, 5]");
        assertThatThrownBy(() -> fused.forward(s, AttentionMaskSpec.NONE, 0f, q, kv, kv, o, lse))
                .hasMessageContaining("scale must be positive");
        assertThatThrownBy(() -> new AttentionShape(1, 3, 2, 4, 4, 8))
                .hasMessageContaining("multiple of kv heads");
    }

    private static float[][] runBoth(Case c, FlashAttention fused, Inputs in) {
        AttentionShape s = c.shape();
        float[] o = new float[s.queryElements()], lse = new float[s.rows()];
        fused.forward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), o, lse);
        float[] dq = new float[s.queryElements()], dk = new float[s.keyElements()], dv = new float[s.keyElements()];
        fused.backward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), o, lse, in.dO(), dq, dk, dv);
        return new float[][] {o, dq, dk, dv, lse};
    }
}
