package ai.tarka.engine;

import static ai.tarka.engine.TestTensors.normal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of the gradients of Tensor's views, alone and chained with the ops. */
class ViewGradTest {

    private static final GradCheck CHECK = GradCheck.defaults();

    static LongStream seeds() {
        return LongStream.of(11, 12, 13, 14);
    }

    private static int[] shape3(Random rng) {
        return new int[] {2 + rng.nextInt(2), 1 + rng.nextInt(3), 2 + rng.nextInt(3)};
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void reshapeTransposePermute(long seed) {
        Random rng = new Random(seed);
        int[] s = shape3(rng);
        Tensor x = normal(rng, s);
        CHECK.check("reshape", t -> t[0].reshape(s[0], -1), x);
        CHECK.check("view", t -> t[0].view(-1), x);
        CHECK.check("transpose", t -> t[0].transpose(0, 2), x);
        CHECK.check("t", t -> t[0].t(), x);
        CHECK.check("permute", t -> t[0].permute(1, 2, 0), x);
        // reshape of a non-contiguous view copies, and the gradient still reaches x
        CHECK.check("reshape of transpose", t -> t[0].transpose(0, 2).reshape(-1, s[0]), x);
        CHECK.check("permute then permute back", t -> t[0].permute(2, 0, 1).permute(1, 2, 0).mul(t[0]), x);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sliceSelectSqueezeUnsqueeze(long seed) {
        Random rng = new Random(seed);
        int[] s = shape3(rng);
        Tensor x = normal(rng, s);
        CHECK.check("slice", t -> t[0].slice(2, 1, s[2]), x);
        CHECK.check("slice of slice", t -> t[0].slice(0, 1, s[0]).slice(2, 0, 1), x);
        CHECK.check("select", t -> t[0].select(0, s[0] - 1), x);
        CHECK.check("select last", t -> t[0].select(-1, 0), x);
        CHECK.check("unsqueeze", t -> t[0].unsqueeze(1), x);
        CHECK.check("unsqueeze end", t -> t[0].unsqueeze(-1), x);
        CHECK.check("squeeze", t -> t[0].unsqueeze(0).squeeze(0), x);
        // overlapping slices accumulate into the shared elements
        CHECK.check("overlapping slices", t -> t[0].slice(2, 0, 2).add(t[0].slice(2, s[2] - 2, s[2])), x);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void expandContiguousCopy(long seed) {
        Random rng = new Random(seed);
        int[] s = shape3(rng);
        Tensor row = normal(rng, 1, s[2]), x = normal(rng, s);
        CHECK.check("expand", t -> t[0].expand(s), row);
        CHECK.check("expand new dims", t -> t[0].expand(2, s[0], s[1], s[2]), x);
        CHECK.check("expand then mul", t -> t[0].expand(s).mul(t[1]), row, x);
        CHECK.check("contiguous of transpose", t -> t[0].transpose(1, 2).contiguous(), x);
        CHECK.check("copy", t -> t[0].copy().mul(t[0]), x);
        Tensor tr = x.detach().transpose(1, 2);
        assertThat(tr.contiguous().isContiguous()).isTrue();
        assertThat(tr.contiguous().toArray()).containsExactly(tr.toArray());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void viewChainsThroughOps(long seed) {
        Random rng = new Random(seed);
        // The chain is cubic in (q, w): the central difference's truncation error grows with the third
        // derivative, i.e. with the input scale, so inputs are drawn at std 0.5 to keep it far below atol.
        Tensor q = Tensor.randn(rng, 0.5f, 2, 3, 4).requiresGrad(true), w = Tensor.randn(rng, 0.5f, 6, 4).requiresGrad(true);
        // the attention-style reshuffle: project, split heads, transpose, matmul, merge
        CHECK.check("heads", t -> {
            Tensor p = t[0].matmul(t[1].t());                       // [2,3,6]
            Tensor h = p.reshape(2, 3, 2, 3).transpose(1, 2);        // [2,2,3,3]
            Tensor att = h.matmul(h.transpose(-2, -1));             // [2,2,3,3]
            return att.matmul(h).transpose(1, 2).reshape(2, 3, 6).sum(2, false);
        }, q, w);
    }
}
