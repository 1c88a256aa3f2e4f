package ai.tarka.nn.integration;

import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.optim.LearningRateSchedule;
import ai.tarka.nn.optim.ParamGroup;
import ai.tarka.nn.train.StepStats;
import ai.tarka.nn.train.TrainingStep;
import java.util.SplittableRandom;

/**
 * The training loop of the integration tests: the model flattened into a {@link ParameterBuffer},
 * AdamW (no decay below rank 2) on a warm-up + cosine schedule, global-norm clipping, micro-batches
 * accumulated through {@link TrainingStep}; batches drawn from {@link ReverseTask} with a seeded generator.
 */
final class TinyTrainer {
    final TinyLm model;
    final ParameterBuffer buffer;
    final TrainingStep step;
    private final ReverseTask task;
    private final SplittableRandom data;

    TinyTrainer(TinyLm model, ReverseTask task, long dataSeed, double peakLr, int warmup, int totalSteps) {
        this.model = model;
        this.task = task;
        this.data = new SplittableRandom(dataSeed);
        this.buffer = ParameterBuffer.flatten(model);
        AdamW opt = AdamW.builder(buffer)
                .schedule(LearningRateSchedule.warmupCosine(peakLr, peakLr / 10, warmup, totalSteps))
                .betas(0.9, 0.98).weightDecay(0.01).group(ParamGroup.noDecayBelowRank2())
                .build();
        this.step = new TrainingStep(opt, 1.0);
    }

    /** One optimiser step over {@code microBatches} micro-batches of {@code rows} sequences each. */
    StepStats step(int microBatches, int rows) {
        for (int m = 0; m < microBatches; m++) {
            TokenBatch b = task.batch(data, rows, false);
            step.microBatch(() -> model.loss(b), b.trainedTokens());
        }
        return step.finish();
    }

    /** Runs {@code steps} steps; returns each step's mean loss. */
    double[] run(int steps, int microBatches, int rows) {
        double[] losses = new double[steps];
        for (int i = 0; i < steps; i++) losses[i] = step(microBatches, rows).loss();
        return losses;
    }
}
