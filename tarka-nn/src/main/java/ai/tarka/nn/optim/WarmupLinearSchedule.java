package ai.tarka.nn.optim;

/**
 * Linear warm-up from 0 to {@code peakLr} over steps 1..warmupSteps, then a straight line down to
 * {@code minLr} at {@code totalSteps}, and {@code minLr} after that.
 */
public record WarmupLinearSchedule(double peakLr, double minLr, long warmupSteps, long totalSteps)
        implements LearningRateSchedule {

    public WarmupLinearSchedule {
        WarmupDecay.check("WarmupLinearSchedule", peakLr, minLr, warmupSteps, totalSteps);
    }

    @Override
    public double lr(long step) {
        if (step <= warmupSteps) return WarmupDecay.warmup(peakLr, warmupSteps, step);
        if (step >= totalSteps) return minLr;
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return peakLr + (minLr - peakLr) * progress;
    }
}
