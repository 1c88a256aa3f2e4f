package ai.tarka.tracking.hpo;

import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.TrackingStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** One trial as the objective sees it: its params, its seed, and a channel for intermediate values. */
public final class TrialContext {
    /** Key of the intermediate-value metric in the trial's run. */
    public static final String INTERMEDIATE_METRIC = "intermediate_value";

    private final int number;
    private final long seed;
    private final Map<String, Object> params;
    private final String runId;
    private final TrackingStore store;
    private final Study.PruneCheck pruneCheck;
    private final SortedMap<Long, Double> intermediate = new TreeMap<>();
    private volatile boolean pruned;

    TrialContext(int number, long seed, Map<String, Object> params, String runId, TrackingStore store, Study.PruneCheck pruneCheck) {
        this.number = number;
        this.seed = seed;
        this.params = Collections.unmodifiableMap(params);
        this.runId = runId;
        this.store = store;
        this.pruneCheck = pruneCheck;
    }

    public int number() {
        return number;
    }

    /** A seed for everything random in this trial, fixed by the study seed and the trial number. */
    public long seed() {
        return seed;
    }

    /** Sampled params: Double for float ranges, Long for int ranges, String for categoricals. */
    public Map<String, Object> params() {
        return params;
    }

    public double doubleParam(String name) {
        return ((Number) required(name)).doubleValue();
    }

    public long longParam(String name) {
        return ((Number) required(name)).longValue();
    }

    public String stringParam(String name) {
        return required(name).toString();
    }

    private Object required(String name) {
        Object v = params.get(name);
        if (v == null) throw new IllegalArgumentException("trial " + number + " has no param '" + name + "'; it has " + params.keySet());
        return v;
    }

    /** The trial's run id in the tracking store (log extra metrics or artifacts there). */
    public String runId() {
        return runId;
    }

    /**
     * Records the objective's value at {@code step} (e.g. validation loss at an evaluation) and returns whether
     * the pruner says to stop this trial now.
     */
    public synchronized boolean report(long step, double value) {
        intermediate.put(step, value);
        store.logMetrics(runId, List.of(new Metric(INTERMEDIATE_METRIC, value, System.currentTimeMillis(), step)));
        if (pruneCheck.shouldPrune(new TreeMap<>(intermediate), step)) pruned = true;
        return pruned;
    }

    /** Logs other metrics of the trial (training loss, learning rate, ...) into its run. */
    public void logMetrics(long step, Map<String, ? extends Number> metrics) {
        long now = System.currentTimeMillis();
        List<Metric> list = new java.util.ArrayList<>(metrics.size());
        metrics.forEach((k, v) -> list.add(new Metric(k, v.doubleValue(), now, step)));
        store.logMetrics(runId, list);
    }

    public boolean isPruned() {
        return pruned;
    }

    synchronized SortedMap<Long, Double> intermediate() {
        return new TreeMap<>(intermediate);
    }

    /** Convenience for objectives: throws {@link TrialPrunedException} if {@link #report} says to prune. */
    public void reportOrPrune(long step, double value) {
        if (report(step, value)) throw new TrialPrunedException("trial " + number + " pruned at step " + step);
    }
}
