package ai.tarka.tracking.hpo;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Optuna's median pruner: after {@code startupTrials} complete trials and {@code warmupSteps} steps, every
 * {@code intervalSteps}, a trial is pruned when its best value so far is worse than the median of the complete
 * trials' values at the same step.
 */
public record MedianPruner(int startupTrials, long warmupSteps, long intervalSteps) {
    public static MedianPruner defaults() {
        return new MedianPruner(5, 0, 1);
    }

    public boolean shouldPrune(List<FrozenTrial> finished, SortedMap<Long, Double> own, long step, Direction direction) {
        if (own.isEmpty() || step < warmupSteps || (step - warmupSteps) % intervalSteps != 0) return false;
        List<Double> atStep = new ArrayList<>();
        int complete = 0;
        for (FrozenTrial t : finished) {
            if (t.state() != TrialState.COMPLETE) continue;
            complete++;
            Double v = t.intermediate().get(step);
            if (v != null && !v.isNaN()) atStep.add(v);
        }
        if (complete < startupTrials || atStep.isEmpty()) return false;
        double best = Double.NaN;
        for (double v : own.values()) {
            if (Double.isNaN(v)) continue;
            if (Double.isNaN(best) || direction.better(v, best)) best = v;
        }
        if (Double.isNaN(best)) return true; // only NaN reported: Optuna prunes such a trial
        double median = median(atStep);
        return direction == Direction.MINIMIZE ? best > median : best < median;
    }

    /** Median with linear interpolation (numpy's default percentile). */
    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pos = 0.5 * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }
}
