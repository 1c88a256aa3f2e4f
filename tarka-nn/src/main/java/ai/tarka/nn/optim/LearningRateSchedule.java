package ai.tarka.nn.optim;

/**
 * The learning rate for each optimiser step. Steps count from 1: {@code lr(1)} is the rate of the
 * first update, matching the optimiser's step counter (and Adam's bias-correction exponent), so a
 * warm-up of W steps reaches the peak exactly at step W and no step is wasted at rate 0.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The rate for update number {@code step} (1-based). */
    double lr(long step);

    static LearningRateSchedule constant(double lr) {
        return new ConstantSchedule(lr);
    }

    static LearningRateSchedule warmupCosine(double peakLr, double minLr, long warmupSteps, long totalSteps) {
        return new WarmupCosineSchedule(peakLr, minLr, warmupSteps, totalSteps);
    }

    static LearningRateSchedule warmupLinear(double peakLr, double minLr, long warmupSteps, long totalSteps) {
        return new WarmupLinearSchedule(peakLr, minLr, warmupSteps, totalSteps);
    }
}
