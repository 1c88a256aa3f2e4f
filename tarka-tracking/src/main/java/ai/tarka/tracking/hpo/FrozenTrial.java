package ai.tarka.tracking.hpo;

import java.util.Map;
import java.util.SortedMap;

/**
 * A trial as samplers and pruners see it.
 *
 * @param intermediate the values reported with {@link TrialContext#report}, by step
 */
public record FrozenTrial(int number, TrialState state, Map<String, Object> params, Double value,
                          SortedMap<Long, Double> intermediate, String runId) {
    /** The value TPE ranks a trial by: the final value if complete, else the last intermediate one. */
    public Double rankValue() {
        if (value != null) return value;
        return intermediate.isEmpty() ? null : intermediate.get(intermediate.lastKey());
    }
}
