package ai.tarka.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.optim.LearningRateSchedule;
import ai.tarka.nn.optim.ParamGroup;
import ai.tarka.nn.train.StepStats;
import ai.tarka.nn.train.TrainingStep;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** End to end with the real engine ops (matmul, add, sub, mul, mean): runs after the engine ops are merged. */
class TrainingLoopLayerTest {

    private static Tensor mse(Tensor pred, Tensor target) {
        Tensor d = pred.sub(target);
        return d.mul(d).mean();
    }

    @Test
    void accumulatedMicroBatchesEqualOneBigBatchAndTrainingReducesTheLoss() {
        Random r = new Random(5);
        int n = 10, in = 7, out = 3;
        float[] xv = LayerReference.gaussian(r, n * in), tv = LayerReference.gaussian(r, n * out);
        Linear model = new Linear(in, out, true, new SplittableRandom(9));
        ParameterBuffer buf = ParameterBuffer.flatten(model);

        mse(model.forward(Tensor.of(xv.clone(), n, in)), Tensor.of(tv.clone(), n, out)).backward();
        float[] bigGrad = buf.grads().clone();
        buf.zeroGrad();

        AdamW opt = AdamW.builder(buf).schedule(LearningRateSchedule.warmupCosine(0.05, 0.005, 3, 40))
                .weightDecay(0.01).group(ParamGroup.noDecayBelowRank2()).build();
        TrainingStep step = new TrainingStep(opt, 10.0);
        double first = Double.NaN, last = Double.NaN;
        for (int it = 0; it < 40; it++) {
            // micro-batches of 3 and 7 rows; mean over rows·out elements, counted per element
            Tensor x = Tensor.of(xv.clone(), n, in), t = Tensor.of(tv.clone(), n, out);
            step.microBatch(mse(model.forward(x.slice(0, 0, 3)), t.slice(0, 0, 3)), 3L * out);
            step.microBatch(mse(model.forward(x.slice(0, 3, 10)), t.slice(0, 3, 10)), 7L * out);
            if (it == 0) {
                // compare the accumulated gradient with the big batch's before the first update
                float[] g = buf.grads();
                float[] accumulated = g.clone();
                for (int i = 0; i < accumulated.length; i++) accumulated[i] /= n * out;
                for (int i = 0; i < bigGrad.length; i++) assertThat(accumulated[i]).isCloseTo(bigGrad[i], offset(1e-5f));
            }
            StepStats s = step.finish();
            if (it == 0) first = s.loss();
            last = s.loss();
        }
        assertThat(last).isLessThan(first * 0.7);
    }
}
