package ai.tarka.nn.optim;

import static ai.tarka.nn.optim.OptimizerFixture.maxDiff;
import static ai.tarka.nn.optim.OptimizerFixture.randomGrads;
import static ai.tarka.nn.optim.OptimizerFixture.randomValues;
import static ai.tarka.nn.optim.OptimizerFixture.trainable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.Tensor;
import ai.tarka.kernels.optim.AdamWKernel;
import ai.tarka.nn.Module;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.ParameterBuffer.Slot;
import ai.tarka.nn.ToyModels.TinyLm;
import ai.tarka.nn.layers.Linear;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdamWTest {

    static Stream<Arguments> configs() {
        Random r = new Random(2024);
        return Stream.of(
                Arguments.of(0.9, 0.999, 1e-8, 0.0, false, r.nextLong()),
                Arguments.of(0.9, 0.95, 1e-8, 0.1, false, r.nextLong()),
                Arguments.of(0.8, 0.99, 1e-6, 0.3, true, r.nextLong()),
                Arguments.of(0.0, 0.5, 1e-3, 0.05, true, r.nextLong()));
    }

    /** Several steps with random gradients, a warm-up/cosine schedule, groups and a frozen block. */
    @ParameterizedTest
    @MethodSource("configs")
    void matchesTheDoubleReference(double b1, double b2, double eps, double wd, boolean groups, long seed) {
        Random r = new Random(seed);
        TinyLm m = new TinyLm(13, 7, 2, seed);
        m.freeze("blocks.0.attn");
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        randomValues(buf, r);
        float[] frozenBefore = buf.value("blocks.0.attn.q_proj.weight").toArray();
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(3e-2, 3e-3, 2, 7);
        AdamW.Builder b = AdamW.builder(buf).schedule(schedule).betas(b1, b2).eps(eps).weightDecay(wd);
        if (groups) {
            b.group(ParamGroup.byPattern("embeddings", 0.0, "wte", "wpe").withLrScale(0.5));
            b.group(ParamGroup.noDecayBelowRank2());
        }
        AdamW opt = b.build();
        Map<String, ReferenceOptimizers.Hyper> hyper = new LinkedHashMap<>();
        for (Slot s : buf.slots()) {
            boolean emb = s.name().startsWith("wte") || s.name().startsWith("wpe");
            hyper.put(s.name(), !groups ? new ReferenceOptimizers.Hyper(wd, 1)
                    : emb ? new ReferenceOptimizers.Hyper(0, 0.5)
                    : s.rank() < 2 ? new ReferenceOptimizers.Hyper(0, 1) : new ReferenceOptimizers.Hyper(wd, 1));
        }
        Map<String, double[]> ref = trainable(buf, buf.values());
        ReferenceOptimizers.AdamW refOpt = new ReferenceOptimizers.AdamW(b1, b2, eps);
        for (int step = 1; step <= 6; step++) {
            randomGrads(buf, r, 0.3);
            refOpt.step(ref, trainable(buf, buf.grads()), hyper, schedule.lr(step));
            opt.step();
            assertThat(opt.lastLr()).isEqualTo(schedule.lr(step));
        }
        assertThat(opt.stepCount()).isEqualTo(6);
        assertThat(maxDiff(buf, ref)).isLessThan(2e-6);
        for (String name : ref.keySet()) {
            float[] fm = opt.firstMoment(name).toArray(), fv = opt.secondMoment(name).toArray();
            double[] rm = refOpt.m.get(name), rv = refOpt.v.get(name);
            for (int i = 0; i < fm.length; i++) {
                assertThat((double) fm[i]).isCloseTo(rm[i], org.assertj.core.data.Offset.offset(1e-6));
                assertThat((double) fv[i]).isCloseTo(rv[i], org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        assertThat(buf.value("blocks.0.attn.q_proj.weight").toArray()).containsExactly(frozenBefore);
        assertThatThrownBy(() -> opt.firstMoment("blocks.0.attn.q_proj.weight")).hasMessageContaining("not trained");
    }

    @Test
    void firstStepMovesEachWeightByTheRateThanksToBiasCorrection() {
        Linear l = new Linear(5, 3, true);
        ParameterBuffer buf = ParameterBuffer.flatten(l);
        Random r = new Random(1);
        randomGrads(buf, r, 1.0);
        float[] g = buf.grads().clone();
        AdamW.builder(buf).lr(0.01).weightDecay(0).build().step();
        // m̂ = g and v̂ = g² after bias correction, so the step is lr·g/(|g|+eps) ≈ lr·sign(g)
        for (int i = 0; i < g.length; i++) {
            assertThat(buf.values()[i]).isCloseTo(-0.01f * Math.signum(g[i]), org.assertj.core.data.Offset.offset(1e-7f));
        }
    }

    @Test
    void weightDecayIsDecoupledAndSkipsExcludedGroups() {
        Linear l = new Linear(4, 3, true);
        ParameterBuffer buf = ParameterBuffer.flatten(l);
        java.util.Arrays.fill(buf.values(), 2f);
        AdamW opt = AdamW.builder(buf).lr(0.1).weightDecay(0.5).group(ParamGroup.byName("no_decay", n -> n.endsWith("bias"), 0))
                .build();
        opt.step(); // zero gradients: only the decay acts, p ← p·(1 − lr·wd)
        assertThat(l.weight().tensor().toArray()).containsOnly(2f * (1f - 0.05f));
        assertThat(l.bias().tensor().toArray()).containsOnly(2f);
        assertThat(opt.groups()).extracting(Optimizer.GroupInfo::label).containsExactly("default", "no_decay");
        assertThat(opt.groups().get(1).parameterNames()).containsExactly("bias");
        assertThat(opt.groups().get(0).numel()).isEqualTo(12);
    }

    @Test
    void stateSaveAndRestoreContinuesBitIdentically() {
        Random r = new Random(77);
        TinyLm a = new TinyLm(13, 7, 2, 1);
        ParameterBuffer bufA = ParameterBuffer.flatten(a);
        LearningRateSchedule s = LearningRateSchedule.warmupLinear(1e-2, 0, 2, 10);
        AdamW optA = AdamW.builder(bufA).schedule(s).betas(0.9, 0.95).weightDecay(0.1).group(ParamGroup.noDecayBelowRank2()).build();
        for (int i = 0; i < 3; i++) {
            randomGrads(bufA, r, 0.1);
            optA.step();
        }
        OptimizerState saved = optA.state();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        a.stateDict().forEach((k, t) -> weights.put(k, t.copy()));
        long gradSeed = r.nextLong();
        Random ga = new Random(gradSeed);
        for (int i = 0; i < 4; i++) {
            randomGrads(bufA, ga, 0.1);
            optA.step();
        }

        TinyLm b = new TinyLm(13, 7, 2, 99);
        ParameterBuffer bufB = ParameterBuffer.flatten(b);
        b.loadStateDict(weights, true);
        AdamW optB = AdamW.builder(bufB).schedule(s).betas(0.9, 0.95).weightDecay(0.1).group(ParamGroup.noDecayBelowRank2()).build();
        optB.loadState(saved);
        assertThat(optB.stepCount()).isEqualTo(3);
        assertThat(optB.state().sameAs(saved)).isTrue();
        Random gb = new Random(gradSeed);
        for (int i = 0; i < 4; i++) {
            randomGrads(bufB, gb, 0.1);
            optB.step();
        }
        assertThat(bufB.values()).containsExactly(bufA.values());
        assertThat(optB.state().sameAs(optA.state())).isTrue();
    }

    @Test
    void stateFromAnotherLayoutOrOptimiserIsRejected() {
        TinyLm a = new TinyLm(13, 7, 1, 1);
        AdamW optA = AdamW.builder(ParameterBuffer.flatten(a)).build();
        TinyLm b = new TinyLm(13, 7, 1, 1);
        b.freeze("wpe");
        AdamW optB = AdamW.builder(ParameterBuffer.flatten(b)).build();
        assertThatThrownBy(() -> optB.loadState(optA.state())).hasMessageContaining("AdamW.loadState: trained parameters differ")
                .hasMessageContaining("wpe (28)");
        TinyLm c = new TinyLm(13, 7, 1, 1);
        SGD sgd = SGD.builder(ParameterBuffer.flatten(c)).momentum(0.9).build();
        assertThatThrownBy(() -> sgd.loadState(optA.state())).hasMessageContaining("saved by AdamW");
    }

    /** Module with one big weight so the step splits across the compute pool. */
    static final class Big extends Module {
        Big() {
            registerModule("proj", new Linear(301, 218, true));
            registerModule("norm", new ai.tarka.nn.layers.RMSNorm(37, 1e-6f));
        }
    }

    @Test
    void parallelStepEqualsOneSequentialKernelPassBitForBit() {
        Big m = new Big();
        ParameterBuffer buf = ParameterBuffer.flatten(m);
        assertThat(buf.size()).isGreaterThan(2 * Optimizer.GRAIN);
        Random r = new Random(3);
        randomValues(buf, r);
        float[] p = buf.values().clone(), mm = new float[buf.size()], vv = new float[buf.size()];
        AdamW opt = AdamW.builder(buf).lr(1e-3).betas(0.9, 0.99).weightDecay(0.1).build();
        for (int step = 1; step <= 2; step++) {
            randomGrads(buf, r, 1.0);
            opt.step();
            double bc1 = 1 - Math.pow(0.9f, step), bc2 = 1 - Math.pow(0.99f, step);
            AdamWKernel.updateScalar(p, 0, buf.grads(), 0, mm, vv, 0, p.length, 0.9f, 0.99f, 1e-8f,
                    (float) (1e-3 / bc1), (float) (1 / Math.sqrt(bc2)), (float) (1 - 1e-3 * 0.1));
        }
        assertThat(buf.values()).containsExactly(p);
    }

    @Test
    void rejectsBadHyperparameters() {
        ParameterBuffer buf = ParameterBuffer.flatten(new Linear(2, 2, false));
        assertThatThrownBy(() -> AdamW.builder(buf).betas(1.0, 0.9)).hasMessageContaining("AdamW: betas");
        assertThatThrownBy(() -> AdamW.builder(buf).eps(0)).hasMessageContaining("AdamW: eps");
        assertThatThrownBy(() -> AdamW.builder(buf).weightDecay(-1)).hasMessageContaining("AdamW: weightDecay");
        AdamW bad = AdamW.builder(buf).schedule(step -> Double.NaN).build();
        assertThatThrownBy(bad::step).hasMessageContaining("learning rate NaN at step 1");
        assertThat(bad.stepCount()).isZero();
    }
}
