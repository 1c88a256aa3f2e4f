package ai.tarka.nn.optim;

/**
 * Linear warm-up from 0 to {@code peakLr} over steps 1..warmupSteps, then half a cosine from
 * {@code peakLr} down to {@code minLr} at {@code totalSteps}, and {@code minLr} after that.
 */
public record WarmupCosineSchedule(double peakLr, double minLr, long warmupSteps, long totalSteps)
        implements LearningRateSchedule {

    public WarmupCosineSchedule {
        WarmupDecay.check("WarmupCosineSchedule", peakLr, minLr, warmupSteps, totalSteps);
    }

    @Override
    public double lr(long step) {
        if (step <= warmupSteps) return WarmupDecay.warmup(peakLr, warmupSteps, step);
        if (step >= totalSteps) return minLr;
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minLr + (peakLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
