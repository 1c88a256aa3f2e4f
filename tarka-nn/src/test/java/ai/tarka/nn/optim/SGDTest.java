package ai.tarka.nn.optim;

import static ai.tarka.nn.optim.OptimizerFixture.maxDiff;
import static ai.tarka.nn.optim.OptimizerFixture.randomGrads;
import static ai.tarka.nn.optim.OptimizerFixture.randomValues;
import static ai.tarka.nn.optim.OptimizerFixture.trainable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.ParameterBuffer.Slot;
import ai.tarka.nn.ToyModels.TinyLm;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SGDTest {

    static Stream<Arguments> configs() {
        Random r = new Random(99);
        return Stream.of(
                Arguments.of(0.0, 0.0, false, 0.0, r.nextLong()),
                Arguments.of(0.0, 0.0, false, 0.01, r.nextLong()),
                Arguments.of(0.9, 0.0, false, 0.0, r.nextLong()),
                Arguments.of(0.9, 0.0, true, 0.05, r.nextLong()),
                Arguments.of(0.7, 0.4, false, 0.02, r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void matchesTheDoubleReference(double momentum, double dampening, boolean nesterov, double wd, long seed) {
        Random r = new Random(seed);
        TinyLm m = new TinyLm(13, 7, 2, seed);
        m.freeze("wte");
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        randomValues(buf, r);
        float[] frozen = buf.value("wte.weight").toArray();
        LearningRateSchedule schedule = LearningRateSchedule.warmupLinear(0.05, 0.0, 2, 6);
        SGD opt = SGD.builder(buf).schedule(schedule).momentum(momentum).dampening(dampening).nesterov(nesterov)
                .weightDecay(wd).group(ParamGroup.noDecayBelowRank2().withLrScale(2.0)).build();
        Map<String, ReferenceOptimizers.Hyper> hyper = new LinkedHashMap<>();
        for (Slot s : buf.slots()) {
            hyper.put(s.name(), s.rank() < 2 ? new ReferenceOptimizers.Hyper(0, 2) : new ReferenceOptimizers.Hyper(wd, 1));
        }
        Map<String, double[]> ref = trainable(buf, buf.values());
        ReferenceOptimizers.Sgd refOpt = new ReferenceOptimizers.Sgd(momentum, dampening, nesterov);
        for (int step = 1; step <= 5; step++) {
            randomGrads(buf, r, 0.5);
            refOpt.step(ref, trainable(buf, buf.grads()), hyper, schedule.lr(step));
            opt.step();
        }
        assertThat(maxDiff(buf, ref)).isLessThan(2e-6);
        assertThat(buf.value("wte.weight").toArray()).containsExactly(frozen);
        if (momentum != 0) {
            float[] mb = opt.momentumBuffer("blocks.1.attn.o_proj.weight").toArray();
            double[] rb = refOpt.buf.get("blocks.1.attn.o_proj.weight");
            for (int i = 0; i < mb.length; i++) assertThat((double) mb[i]).isCloseTo(rb[i], org.assertj.core.data.Offset.offset(2e-6));
        }
    }

    @Test
    void stateSaveAndRestoreContinuesBitIdentically() {
        Random r = new Random(5);
        TinyLm a = new TinyLm(13, 7, 1, 1), b = new TinyLm(13, 7, 1, 1);
        ParameterBuffer bufA = ParameterBuffer.flatten(a), bufB = ParameterBuffer.flatten(b);
        SGD optA = SGD.builder(bufA).lr(0.1).momentum(0.9).nesterov(true).build();
        SGD optB = SGD.builder(bufB).lr(0.1).momentum(0.9).nesterov(true).build();
        for (int i = 0; i < 2; i++) {
            randomGrads(bufA, r, 1);
            optA.step();
        }
        optB.loadState(optA.state());
        System.arraycopy(bufA.values(), 0, bufB.values(), 0, bufA.size());
        for (int i = 0; i < 3; i++) {
            randomGrads(bufA, r, 1);
            System.arraycopy(bufA.grads(), 0, bufB.grads(), 0, bufA.size());
            optA.step();
            optB.step();
        }
        assertThat(bufB.values()).containsExactly(bufA.values());
        assertThat(optB.state().sameAs(optA.state())).isTrue();
        assertThat(optA.state().moments()).containsOnlyKeys(SGD.MOMENTUM_BUFFER);
    }

    @Test
    void rejectsInconsistentSettings() {
        ParameterBuffer buf = ParameterBuffer.flatten(new TinyLm(3, 2, 1, 1));
        assertThatThrownBy(() -> SGD.builder(buf).nesterov(true).build()).hasMessageContaining("SGD: Nesterov");
        assertThatThrownBy(() -> SGD.builder(buf).momentum(0.9).dampening(0.1).nesterov(true).build()).hasMessageContaining("dampening 0.1");
        assertThatThrownBy(() -> SGD.builder(buf).momentum(1.0)).hasMessageContaining("SGD: momentum");
        assertThatThrownBy(() -> SGD.builder(buf).build().momentumBuffer("wpe")).hasMessageContaining("no momentum buffer");
    }
}
