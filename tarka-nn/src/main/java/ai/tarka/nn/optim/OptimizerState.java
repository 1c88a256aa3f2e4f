package ai.tarka.nn.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an optimiser needs to continue bit-identically after a restart: the step count and
 * its flat moment arrays (packed over the trainable parameters, in buffer order), plus the layout
 * they were packed for so a mismatched model is rejected instead of silently misread.
 * Hyperparameters are configuration, not state, and are not included.
 *
 * <p>The arrays are defensive copies both ways.
 */
public record OptimizerState(String optimizer, long step, List<String> parameterNames, int[] parameterSizes,
                             Map<String, float[]> moments) {

    public OptimizerState {
        parameterNames = List.copyOf(parameterNames);
        parameterSizes = parameterSizes.clone();
        LinkedHashMap<String, float[]> copy = new LinkedHashMap<>();
        moments.forEach((k, v) -> copy.put(k, v.clone()));
        moments = Collections.unmodifiableMap(copy);
        if (parameterNames.size() != parameterSizes.length) {
            throw new IllegalArgumentException("OptimizerState: " + parameterNames.size() + " names but "
                    + parameterSizes.length + " sizes");
        }
    }

    @Override
    public int[] parameterSizes() {
        return parameterSizes.clone();
    }

    /** A copy of one moment array. */
    public float[] moment(String key) {
        float[] m = moments.get(key);
        if (m == null) throw new IllegalArgumentException("OptimizerState of " + optimizer + ": no moment '" + key + "'; has " + moments.keySet());
        return m.clone();
    }

    /** Element-wise equality (records compare arrays by identity). */
    public boolean sameAs(OptimizerState o) {
        if (!optimizer.equals(o.optimizer) || step != o.step || !parameterNames.equals(o.parameterNames)
                || !Arrays.equals(parameterSizes, o.parameterSizes) || !moments.keySet().equals(o.moments.keySet())) {
            return false;
        }
        for (var e : moments.entrySet()) if (!Arrays.equals(e.getValue(), o.moments.get(e.getKey()))) return false;
        return true;
    }
}
