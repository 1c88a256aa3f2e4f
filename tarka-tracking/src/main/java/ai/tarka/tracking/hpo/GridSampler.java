package ai.tarka.tracking.hpo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every combination of the grid once, in an order shuffled by the study seed; trial {@code n} takes the
 * {@code n}-th combination, so parallel workers and resumed studies never repeat one.
 */
public final class GridSampler implements Sampler {
    private final long seed;

    public GridSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public int maxTrials(SearchSpace space) {
        long n = 1;
        for (var e : space.params().entrySet()) n *= values(e.getKey(), e.getValue()).size();
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    private static List<Object> values(String name, Distribution d) {
        List<Object> v = d.gridValues();
        if (v == null) {
            throw new IllegalArgumentException("grid sampler: parameter '" + name + "' is a continuous range; give it a step or make it categorical");
        }
        return v;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> finished, Direction direction, int trialNumber, Random rng) {
        int size = maxTrials(space);
        if (trialNumber >= size) throw new IllegalStateException("grid sampler: all " + size + " combinations were tried");
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) order.add(i);
        java.util.Collections.shuffle(order, new Random(seed));
        long index = order.get(trialNumber);
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : space.params().entrySet()) {
            List<Object> vals = values(e.getKey(), e.getValue());
            out.put(e.getKey(), vals.get((int) (index % vals.size())));
            index /= vals.size();
        }
        return out;
    }
}
