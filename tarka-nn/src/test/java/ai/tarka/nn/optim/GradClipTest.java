package ai.tarka.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.NonFiniteException;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.ParameterBuffer.Slot;
import ai.tarka.nn.ToyModels.TinyLm;
import ai.tarka.nn.layers.Linear;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GradClipTest {

    static Stream<Arguments> cases() {
        Random r = new Random(11);
        return Stream.of(Arguments.of(0.5, r.nextLong()), Arguments.of(1e6, r.nextLong()), Arguments.of(3.0, r.nextLong()));
    }

    private static double referenceNorm(ParameterBuffer buf) {
        double s = 0;
        for (Slot sl : buf.slots()) {
            if (!sl.requiresGrad()) continue;
            for (int i = 0; i < sl.numel(); i++) s += (double) buf.grads()[sl.offset() + i] * buf.grads()[sl.offset() + i];
        }
        return Math.sqrt(s);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void returnsThePreClipNormAndScalesOnlyWhenAbove(double maxNorm, long seed) {
        TinyLm m = new TinyLm(17, 9, 2, seed);
        m.freeze("blocks.1");
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        OptimizerFixture.randomGrads(buf, new Random(seed), 0.1);
        float[] before = buf.grads().clone();
        double expected = referenceNorm(buf);
        double norm = GradClip.clipGlobalNorm(buf, maxNorm);
        assertThat(norm).isCloseTo(expected, offset(expected * 1e-12));
        float factor = norm > maxNorm ? (float) (maxNorm / (norm + 1e-6)) : 1f;
        for (Slot s : buf.slots()) {
            for (int i = 0; i < s.numel(); i++) {
                int k = s.offset() + i;
                float want = s.requiresGrad() ? before[k] * factor : before[k];
                assertThat(buf.grads()[k]).as("%s[%d]", s.name(), i).isEqualTo(want);
            }
        }
        if (norm > maxNorm) assertThat(GradClip.globalNorm(buf)).isCloseTo(maxNorm, offset(maxNorm * 1e-5));
    }

    @Test
    void normOverABigBufferIsTheDoubleSumAcrossBlocks() {
        Linear l = new Linear(300, 250, true);
        ParameterBuffer buf = ParameterBuffer.flatten(l);
        assertThat(buf.size()).isGreaterThan(GradClip.BLOCK);
        OptimizerFixture.randomGrads(buf, new Random(1), 1.0);
        double expected = referenceNorm(buf);
        assertThat(GradClip.globalNorm(buf)).isCloseTo(expected, offset(expected * 1e-12));
    }

    @Test
    void aNonFiniteGradientNamesTheFirstParameterHoldingIt() {
        TinyLm m = new TinyLm(17, 9, 2, 1);
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        Slot later = buf.slot("ln_f.bias"), first = buf.slot("blocks.0.attn.q_proj.weight");
        buf.grads()[later.offset()] = Float.NaN;
        buf.grads()[first.offset() + 12] = Float.POSITIVE_INFINITY;
        float[] before = buf.grads().clone();
        assertThatThrownBy(() -> GradClip.clipGlobalNorm(buf, 1.0)).isInstanceOf(NonFiniteException.class)
                .hasMessageContaining("'blocks.0.attn.q_proj.weight' [9, 9]").hasMessageContaining("Infinity at flat index 12");
        assertThat(buf.grads()).containsExactly(before);
        // a frozen parameter's garbage gradient does not count
        m.freeze("blocks.0");
        ParameterBuffer.Slot s = buf.slot("ln_f.bias");
        assertThatThrownBy(() -> GradClip.clipGlobalNorm(buf, 1.0)).hasMessageContaining("'ln_f.bias'").hasMessageContaining("NaN");
        buf.grads()[s.offset()] = 0;
        assertThat(GradClip.clipGlobalNorm(buf, 1.0)).isFinite();
    }

    @Test
    void perParameterVersionAgreesWithTheFlatOne() {
        TinyLm a = new TinyLm(17, 9, 1, 3);
        ParameterBuffer buf = ParameterBuffer.flatten(a);
        OptimizerFixture.randomGrads(buf, new Random(3), 1.0);
        float[] copy = buf.grads().clone();
        double n1 = GradClip.clipGlobalNorm(a, 2.0);
        float[] viaModule = buf.grads().clone();
        System.arraycopy(copy, 0, buf.grads(), 0, copy.length);
        double n2 = GradClip.clipGlobalNorm(buf, 2.0);
        assertThat(n1).isCloseTo(n2, offset(n2 * 1e-12));
        assertThat(viaModule).containsExactly(buf.grads());
        buf.grads()[buf.slot("wpe").offset() + 3] = Float.NaN;
        assertThatThrownBy(() -> GradClip.clipGlobalNorm(a, 2.0)).hasMessageContaining("'wpe'");
        assertThatThrownBy(() -> GradClip.clipGlobalNorm(buf, 0)).hasMessageContaining("maxNorm");
    }
}
