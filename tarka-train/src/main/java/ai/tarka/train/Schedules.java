package ai.tarka.train;

import ai.tarka.nn.optim.LearningRateSchedule;
import ai.tarka.nn.optim.WarmupLinearSchedule;
import ai.tarka.train.checkpoint.TrainerState;
import ai.tarka.train.config.LrScheduler;
import ai.tarka.train.config.TrainConfig;

/** The learning-rate schedule a config asks for: linear warm-up, then cosine / linear decay to a floor, or constant. */
public final class Schedules {
    private Schedules() {}

    public static TrainerState.Schedule describe(TrainConfig c) {
        double min = c.lrScheduler() == LrScheduler.CONSTANT ? c.learningRate() : c.learningRate() * c.cosineMinLrRatio();
        return new TrainerState.Schedule(c.lrScheduler().name().toLowerCase(), c.learningRate(), min, c.warmupSteps(), c.maxSteps());
    }

    public static LearningRateSchedule of(TrainConfig c) {
        TrainerState.Schedule s = describe(c);
        return switch (c.lrScheduler()) {
            case COSINE -> LearningRateSchedule.warmupCosine(s.peakLr(), s.minLr(), s.warmupSteps(), s.totalSteps());
            case LINEAR -> new WarmupLinearSchedule(s.peakLr(), s.minLr(), s.warmupSteps(), s.totalSteps());
            // a linear "decay" from the peak to the peak: warm-up, then constant
            case CONSTANT -> new WarmupLinearSchedule(s.peakLr(), s.peakLr(), s.warmupSteps(), s.totalSteps());
        };
    }
}
