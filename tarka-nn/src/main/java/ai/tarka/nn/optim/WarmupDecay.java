package ai.tarka.nn.optim;

/** Shared pieces of the warm-up-then-decay schedules. */
final class WarmupDecay {
    private WarmupDecay() {}

    /** Rate {@code peak·step/warmup} for steps in [1, warmup] (0 for step ≤ 0); shared by the warm-up schedules. */
    static double warmup(double peakLr, long warmupSteps, long step) {
        if (step <= 0) return 0;
        return peakLr * step / warmupSteps;
    }

    /** Checks the arguments every warm-up-then-decay schedule shares; errors name the schedule. */
    static void check(String schedule, double peakLr, double minLr, long warmupSteps, long totalSteps) {
        if (!(peakLr >= 0) || Double.isInfinite(peakLr)) throw new IllegalArgumentException(schedule + ": peakLr must be finite and >= 0, got " + peakLr);
        if (!(minLr >= 0) || minLr > peakLr) throw new IllegalArgumentException(schedule + ": minLr must be in [0, peakLr=" + peakLr + "], got " + minLr);
        if (warmupSteps < 0) throw new IllegalArgumentException(schedule + ": warmupSteps must be >= 0, got " + warmupSteps);
        if (totalSteps < warmupSteps) {
            throw new IllegalArgumentException(schedule + ": totalSteps (" + totalSteps + ") must be >= warmupSteps (" + warmupSteps + ")");
        }
    }
}
