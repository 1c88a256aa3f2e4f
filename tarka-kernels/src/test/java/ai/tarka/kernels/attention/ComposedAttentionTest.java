package ai.tarka.kernels.attention;

import static ai.tarka.kernels.attention.Closeness.assertClose;

import ai.tarka.kernels.attention.AttentionCases.Case;
import ai.tarka.kernels.attention.AttentionCases.Inputs;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ComposedAttentionTest {
    // same reasoning as FlashAttentionTest: float32 sums of up to ~45 terms against a double reference
    private static final double ATOL = 2e-5;
    private static final double RTOL = 1e-4;

    static Stream<Case> cases() {
        return AttentionCases.random(0xC0DEL, 30, false).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndBackwardMatchTheReference(Case c) {
        Inputs in = c.inputs();
        AttentionShape s = c.shape();
        ComposedAttention composed = new ComposedAttention(AttentionCases.pool(c.threads()));
        float[] o = new float[s.queryElements()];
        float[] p = composed.forward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), o);
        assertClose("o", o, ReferenceAttention.forward(s, c.mask(), c.scale(), in.q(), in.k(), in.v()).o(), ATOL, RTOL);

        float[] dq = new float[s.queryElements()], dk = new float[s.keyElements()], dv = new float[s.keyElements()];
        composed.backward(s, c.scale(), in.q(), in.k(), in.v(), p, in.dO(), dq, dk, dv);
        ReferenceAttention.Gradients g = ReferenceAttention.backward(s, c.mask(), c.scale(), in.q(), in.k(), in.v(), in.dO());
        assertClose("dq", dq, g.dq(), ATOL, RTOL);
        assertClose("dk", dk, g.dk(), ATOL, RTOL);
        assertClose("dv", dv, g.dv(), ATOL, RTOL);
    }
}
