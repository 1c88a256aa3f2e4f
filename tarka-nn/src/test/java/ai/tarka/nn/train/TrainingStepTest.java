package ai.tarka.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.NonFiniteException;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.TestOps;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

class TrainingStepTest {

    private final RegressionData data = new RegressionData(12, 4, 3, 7);
    private final RegressionData.Model model = new RegressionData.Model(4, 3);
    private final ParameterBuffer buf = ParameterBuffer.flatten(model);
    private final AdamW opt = AdamW.builder(buf).schedule(LearningRateSchedule.warmupLinear(0.1, 0, 2, 10)).build();

    private Tensor loss(int from, int to) {
        return TestOps.squaredError(model.w.tensor(), data.x, data.y, data.mask, from, to, true);
    }

    @Test
    void aStepAccumulatesClipsUpdatesAndZeroesGradients() {
        TrainingStep step = new TrainingStep(opt, 1e-3);
        double bigLoss = loss(0, 12).item();
        float[] w0 = model.w.tensor().toArray();
        step.microBatch(loss(0, 5), data.count(0, 5));
        step.microBatch(loss(5, 12), data.count(5, 12));
        StepStats s = step.finish();
        assertThat(s.step()).isEqualTo(1);
        assertThat(s.loss()).isCloseTo(bigLoss, offset(1e-5));
        assertThat(s.tokens()).isEqualTo(11);
        assertThat(s.microBatches()).isEqualTo(2);
        assertThat(s.lr()).isEqualTo(0.05);
        assertThat(s.gradNorm()).isGreaterThan(1e-3);
        assertThat(opt.stepCount()).isEqualTo(1);
        assertThat(buf.grads()).containsOnly(0f);
        assertThat(model.w.tensor().toArray()).isNotEqualTo(w0);
        assertThat(step.currentStep()).isEqualTo(2);
    }

    @Test
    void aNaNLossStopsTheStepNamingItAndChangesNothing() {
        TrainingStep step = new TrainingStep(opt, 1.0);
        step.microBatch(loss(0, 6), data.count(0, 6));
        step.finish();
        float[] w = buf.values().clone();
        step.microBatch(loss(0, 6), data.count(0, 6));
        float[] grads = buf.grads().clone();
        data.y[8] = Float.NaN;
        assertThatThrownBy(() -> step.microBatch(loss(6, 12), data.count(6, 12)))
                .isInstanceOf(NonFiniteException.class).hasMessage("loss is NaN at step 2 (micro-batch 2)");
        assertThat(buf.values()).containsExactly(w);
        assertThat(buf.grads()).containsExactly(grads);
        assertThat(opt.stepCount()).isEqualTo(1);
        step.reset();
        assertThat(buf.grads()).containsOnly(0f);
        data.y[8] = 0f;
        step.microBatch(loss(6, 12), data.count(6, 12));
        assertThat(step.finish().step()).isEqualTo(2);
    }

    @Test
    void anInfiniteLossIsReportedWithItsSign() {
        assertThatThrownBy(() -> TrainingGuard.checkLoss(Double.NEGATIVE_INFINITY, 123)).hasMessage("loss is -Inf at step 123");
        assertThatThrownBy(() -> TrainingGuard.checkLoss(Double.NaN, 123)).hasMessage("loss is NaN at step 123");
        assertThat(TrainingGuard.checkLoss(2.5, 1)).isEqualTo(2.5);
    }

    @Test
    void aNonFiniteGradientNamesTheParameterAndTheStep() {
        TrainingStep step = new TrainingStep(opt, 1.0);
        float[] w = buf.values().clone();
        step.microBatch(loss(0, 6), data.count(0, 6));
        buf.grads()[buf.slot("w").offset() + 2] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(step::finish).isInstanceOf(NonFiniteException.class)
                .hasMessageContaining("parameter 'w' [4]").hasMessageEndingWith("at step 1");
        assertThat(buf.values()).containsExactly(w);
        assertThat(opt.stepCount()).isZero();
    }

    @Test
    void aNonFiniteGradientDuringBackwardIsReportedWithTheStep() {
        TrainingStep step = new TrainingStep(opt, 1.0);
        float[] x = {1, Float.NaN, 0, 0};
        Tensor lossWithNaNGradient = Tensor.record("test.badGrad", Tensor.scalar(0.5f), g -> {
            model.w.tensor().accumulateGrad(Tensor.of(x.clone(), 4));
        }, model.w.tensor());
        assertThatThrownBy(() -> step.microBatch(lossWithNaNGradient, 3)).isInstanceOf(NonFiniteException.class)
                .hasMessageContaining("(w)").hasMessageEndingWith("at step 1 (micro-batch 1)");
    }

    @Test
    void aNonFiniteLossThrownByTheForwardPassIsReportedWithTheStep() {
        TrainingStep step = new TrainingStep(opt, 1.0);
        step.microBatch(() -> loss(0, 6), data.count(0, 6));
        step.finish();
        step.microBatchSum(() -> loss(0, 6), data.count(0, 6));
        assertThatThrownBy(() -> step.microBatch(() -> {
            throw new NonFiniteException("crossEntropy: non-finite loss NaN");
        }, 6)).isInstanceOf(NonFiniteException.class)
                .hasMessage("crossEntropy: non-finite loss NaN at step 2 (micro-batch 2)")
                .cause().hasMessage("crossEntropy: non-finite loss NaN");
        assertThat(opt.stepCount()).isEqualTo(1);
    }

    /** A NaN weight whose gradient is finite (it did not reach this step's loss) still stops the step. */
    @Test
    void aNonFiniteWeightNamesTheParameterAndTheStepAndChangesNothing() {
        TrainingStep step = new TrainingStep(opt, 1.0);
        step.microBatch(loss(0, 6), data.count(0, 6));
        buf.values()[buf.slot("w").offset() + 3] = Float.NEGATIVE_INFINITY;
        float[] w = buf.values().clone();
        assertThatThrownBy(step::finish).isInstanceOf(NonFiniteException.class)
                .hasMessage("weight of parameter 'w' [4] is -Infinity at flat index 3 at step 1");
        assertThat(buf.values()).containsExactly(w);
        assertThat(opt.stepCount()).isZero();
    }
}
