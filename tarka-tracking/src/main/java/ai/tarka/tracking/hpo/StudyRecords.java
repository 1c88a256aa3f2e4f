package ai.tarka.tracking.hpo;

import ai.tarka.tracking.search.RunSearch;
import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingStore;
import ai.tarka.tracking.store.ViewType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a study lives in the run store: a parent run tagged {@code tarka.hpo.role=study}, one nested run per trial
 * tagged with its number and state, the sampled params as params, intermediate values as the
 * {@value TrialContext#INTERMEDIATE_METRIC} metric and the final value as {@value #VALUE_METRIC}.
 */
public final class StudyRecords {
    public static final String ROLE_TAG = "tarka.hpo.role";
    public static final String STUDY_TAG = "tarka.hpo.study";
    public static final String DIRECTION_TAG = "tarka.hpo.direction";
    public static final String SAMPLER_TAG = "tarka.hpo.sampler";
    public static final String TRIAL_TAG = "tarka.hpo.trial";
    public static final String STATE_TAG = "tarka.hpo.state";
    public static final String SEED_TAG = "tarka.hpo.seed";
    public static final String INTERRUPTED_TAG = "tarka.hpo.interrupted";
    public static final String VALUE_METRIC = "value";

    /** A trial as stored, with params as text. */
    public record StoredTrial(int number, TrialState state, boolean interrupted, Map<String, String> params, Double value,
                              TreeMap<Long, Double> intermediate, String runId, long start, Long end) {
    }

    private StudyRecords() {
    }

    /** The newest study run of this name that did not finish (to resume), if any. */
    public static Optional<Run> unfinishedStudy(TrackingStore store, String study) {
        return store.getExperimentByName(study).flatMap(e -> RunSearch.search(store, List.of(e.id()),
                        "tags.`" + ROLE_TAG + "` = 'study' and tags.`" + STUDY_TAG + "` = '" + study.replace("'", "") + "'",
                        ViewType.ACTIVE_ONLY, 1000, List.of("attributes.start_time DESC"), null).runs().stream()
                .filter(r -> r.info().status() != RunStatus.FINISHED).findFirst());
    }

    public static List<StoredTrial> trials(TrackingStore store, String studyRunId) {
        List<StoredTrial> out = new ArrayList<>();
        for (Run r : store.childRuns(studyRunId)) {
            String n = r.tags().get(TRIAL_TAG);
            if (n == null) continue;
            TrialState state = TrialState.valueOf(r.tags().getOrDefault(STATE_TAG, "RUNNING"));
            boolean interrupted = "true".equals(r.tags().get(INTERRUPTED_TAG));
            // A trial whose process died is RUNNING in its tag but not in its (heartbeat-checked) run status.
            if (state == TrialState.RUNNING && r.info().status() != RunStatus.RUNNING) interrupted = true;
            TreeMap<Long, Double> inter = new TreeMap<>();
            for (Metric m : store.metricHistory(r.info().runId(), TrialContext.INTERMEDIATE_METRIC)) inter.put(m.step(), m.value());
            Metric v = r.latestMetrics().get(VALUE_METRIC);
            out.add(new StoredTrial(Integer.parseInt(n), state, interrupted, new LinkedHashMap<>(r.params()),
                    v == null ? null : v.value(), inter, r.info().runId(), r.info().startTime(), r.info().endTime()));
        }
        out.sort(java.util.Comparator.comparingInt(StoredTrial::number));
        return out;
    }

    static FrozenTrial frozen(StoredTrial t, SearchSpace space) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (var e : t.params().entrySet()) {
            if (space.params().containsKey(e.getKey())) params.put(e.getKey(), space.parseValue(e.getKey(), e.getValue()));
        }
        return new FrozenTrial(t.number(), t.interrupted() ? TrialState.FAIL : t.state(), params, t.value(), t.intermediate(), t.runId());
    }
}
