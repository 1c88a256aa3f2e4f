package ai.tarka.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.layers.Linear;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class InitTest {

    @Test
    void normalHasTheRequestedMomentsAndIsSeeded() {
        Tensor t = Tensor.zeros(301, 333);
        Init.normal(t, 0.5, 0.02, new SplittableRandom(3));
        double s = 0, s2 = 0;
        for (float v : t.toArray()) {
            s += v;
            s2 += (v - 0.5) * (v - 0.5);
        }
        int n = t.numel();
        assertThat(s / n).isCloseTo(0.5, offset(5 * 0.02 / Math.sqrt(n)));
        assertThat(Math.sqrt(s2 / n)).isCloseTo(0.02, offset(0.02 * 0.01));
        Tensor u = Tensor.zeros(301, 333);
        Init.normal(u, 0.5, 0.02, new SplittableRandom(3));
        assertThat(u.toArray()).containsExactly(t.toArray());
    }

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(7, 13), Arguments.of(64, 3), Arguments.of(5, 129));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void kaimingAndXavierStayInsideTheirBounds(int out, int in) {
        Tensor w = Tensor.zeros(out, in);
        Init.kaimingUniform(w, Math.sqrt(5), new SplittableRandom(out * 31L + in));
        double bound = 1 / Math.sqrt(in);
        assertThat(maxAbs(w)).isLessThanOrEqualTo((float) bound);
        assertThat(maxAbs(w)).isGreaterThan((float) (0.8 * bound));
        Init.xavierUniform(w, 1.0, new SplittableRandom(1));
        double xb = Math.sqrt(6.0 / (in + out));
        assertThat(maxAbs(w)).isLessThanOrEqualTo((float) xb);
        assertThat(maxAbs(w)).isGreaterThan((float) (0.8 * xb));
    }

    @Test
    void linearUsesPyTorchDefaultBoundsAndInitWritesThroughViews() {
        Linear l = new Linear(50, 7, true, new SplittableRandom(2));
        float b = (float) (1 / Math.sqrt(50));
        assertThat(maxAbs(l.weight().tensor())).isLessThanOrEqualTo(b);
        assertThat(maxAbs(l.bias().tensor())).isLessThanOrEqualTo(b);
        ParameterBuffer buf = ParameterBuffer.flatten(l);
        Init.ones(l.bias());
        Init.uniform(l.weight().tensor().t(), 2, 3, new SplittableRandom(1));
        for (int i = 0; i < 350; i++) assertThat(buf.values()[i]).isBetween(2f, 3f);
        for (int i = 350; i < 357; i++) assertThat(buf.values()[i]).isEqualTo(1f);
    }

    @Test
    void fansNeedRankTwo() {
        assertThatThrownBy(() -> Init.kaimingUniform(Tensor.zeros(4), 0, new SplittableRandom(1)))
                .hasMessageContaining("Init.kaimingUniform").hasMessageContaining("[4]");
        assertThat(Init.fanIn("t", Tensor.zeros(8, 3, 5))).isEqualTo(15);
        assertThat(Init.fanOut("t", Tensor.zeros(8, 3, 5))).isEqualTo(40);
    }

    private static float maxAbs(Tensor t) {
        float m = 0;
        for (float v : t.toArray()) m = Math.max(m, Math.abs(v));
        return m;
    }
}
