package ai.tarka.nn.optim;

/** The same rate at every step. */
public record ConstantSchedule(double rate) implements LearningRateSchedule {
    public ConstantSchedule {
        if (!(rate >= 0) || Double.isInfinite(rate)) throw new IllegalArgumentException("ConstantSchedule: rate must be finite and >= 0, got " + rate);
    }

    @Override
    public double lr(long step) {
        return rate;
    }
}
