package ai.tarka.nn.train;

/** What one optimiser step did: its number, mean loss per trained token, pre-clip gradient norm, rate and size. */
public record StepStats(long step, double loss, double gradNorm, double lr, long tokens, int microBatches) {}
