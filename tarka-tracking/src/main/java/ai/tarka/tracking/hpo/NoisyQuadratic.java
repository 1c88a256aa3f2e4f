package ai.tarka.tracking.hpo;

import java.util.Map;
import java.util.Random;

/**
 * A test objective shaped like a training run: a bowl over the search space (in each range's internal
 * coordinate, scaled to the range, so log ranges are bowls in log space) plus a 1/step "learning curve" and
 * seeded noise, reported at every step so the pruner has curves to compare. Options: {@code steps} (20),
 * {@code noise} (0.01), {@code optimum} (param → value; default the middle of each range), {@code fail_above}
 * (a final value above this fails the trial, to exercise FAIL).
 */
public final class NoisyQuadratic implements Objective {
    private final SearchSpace space;
    private final int steps;
    private final double noise;
    private final Map<String, Object> optimum;
    private final double failAbove;

    public NoisyQuadratic(SearchSpace space, int steps, double noise, Map<String, Object> optimum, double failAbove) {
        this.space = space;
        this.steps = steps;
        this.noise = noise;
        this.optimum = optimum;
        this.failAbove = failAbove;
    }

    @SuppressWarnings("unchecked")
    public static NoisyQuadratic fromOptions(SearchSpace space, Map<String, Object> options) {
        Object opt = options.getOrDefault("optimum", Map.of());
        return new NoisyQuadratic(space, ((Number) options.getOrDefault("steps", 20)).intValue(),
                ((Number) options.getOrDefault("noise", 0.01)).doubleValue(), (Map<String, Object>) opt,
                ((Number) options.getOrDefault("fail_above", Double.POSITIVE_INFINITY)).doubleValue());
    }

    /** The noiseless final value of a param set. */
    public double bowl(Map<String, Object> params) {
        double sum = 0;
        for (var e : space.params().entrySet()) {
            Distribution d = e.getValue();
            Object v = params.get(e.getKey());
            Object best = optimum.get(e.getKey());
            if (d instanceof Distribution.Categorical c) {
                String target = best != null ? best.toString() : c.choices().getFirst();
                sum += v.toString().equals(target) ? 0 : 0.5;
                continue;
            }
            double range = Math.max(1e-12, d.internalHigh() - d.internalLow());
            double target = best != null ? d.toInternal(Double.parseDouble(best.toString())) : 0.5 * (d.internalLow() + d.internalHigh());
            double z = (d.toInternal(v) - target) / range;
            sum += 4 * z * z;
        }
        return sum;
    }

    @Override
    public double evaluate(TrialContext trial) {
        Random rng = new Random(trial.seed());
        double base = bowl(trial.params());
        double value = base;
        for (int step = 1; step <= steps; step++) {
            value = base + 1.0 / step + noise * rng.nextGaussian();
            if (trial.report(step, value)) return value;
        }
        if (value > failAbove) throw new IllegalStateException("objective diverged: " + value + " > fail_above " + failAbove);
        return value;
    }
}
