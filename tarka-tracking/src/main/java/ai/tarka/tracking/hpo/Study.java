package ai.tarka.tracking.hpo;

import ai.tarka.tracking.Params;
import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a study: trials sampled from the config's space, evaluated by the objective on {@code parallel} worker
 * threads, each trial a nested run of the study's run in the store. Trial {@code n} gets the seed
 * {@link #trialSeed(long, int)} (its sampler draws and the objective's {@link TrialContext#seed()}), so random
 * and grid studies are reproducible at any parallelism; TPE proposals depend also on which trials had
 * finished when the trial started, so they are reproducible with {@code parallel: 1}. A study whose process
 * died is resumed by the next run of the same config: its interrupted trials are marked FAIL and the missing
 * trials are run.
 */
public final class Study {
    /** Asked at every report: should the trial with these intermediate values stop at this step? */
    interface PruneCheck {
        boolean shouldPrune(SortedMap<Long, Double> own, long step);
    }

    /** The outcome: the study run, every trial, and the best complete one (null if none completed). */
    public record Result(String studyRunId, boolean resumed, List<FrozenTrial> trials, FrozenTrial best) {
        public long count(TrialState s) {
            return trials.stream().filter(t -> t.state() == s).count();
        }
    }

    private final TrackingStore store;
    private final HpoConfig config;
    private final Objective objective;
    private final Sampler sampler;
    private final PrintStream log;
    private final List<FrozenTrial> finished = new ArrayList<>();
    private final Set<String> alive = ConcurrentHashMap.newKeySet();
    private int nextNumber;
    private int started;

    public Study(TrackingStore store, HpoConfig config, Objective objective, PrintStream log) {
        this.store = store;
        this.config = config;
        this.objective = objective;
        this.sampler = config.newSampler();
        this.log = log;
    }

    /** SplitMix64 of the study seed and trial number: independent, well-mixed seeds per trial. */
    public static long trialSeed(long studySeed, int trialNumber) {
        long z = studySeed + (trialNumber + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public Result run() throws InterruptedException {
        String experimentId = store.experimentId(config.study());
        Run previous = StudyRecords.unfinishedStudy(store, config.study()).orElse(null);
        String studyRunId;
        boolean resumed = previous != null;
        if (resumed && previous.info().status() == RunStatus.RUNNING) {
            throw new IllegalStateException("study '" + config.study() + "' (run " + previous.info().runId()
                    + ") is being run by another process (its heartbeat is fresh); wait for it, or give this study another name");
        }
        if (resumed) {
            studyRunId = previous.info().runId();
            store.updateRun(studyRunId, RunStatus.RUNNING, null, null, null);
            store.heartbeat(studyRunId);
            int interrupted = 0;
            for (StudyRecords.StoredTrial t : StudyRecords.trials(store, studyRunId)) {
                if (t.interrupted() && t.state() == TrialState.RUNNING) {
                    store.setTag(t.runId(), StudyRecords.STATE_TAG, TrialState.FAIL.name());
                    store.setTag(t.runId(), StudyRecords.INTERRUPTED_TAG, "true");
                    store.updateRun(t.runId(), RunStatus.KILLED, store.now(), null, "interrupted: the study's process died");
                    interrupted++;
                }
                FrozenTrial f = StudyRecords.frozen(t, config.space());
                nextNumber = Math.max(nextNumber, t.number() + 1);
                if (!t.interrupted() && t.state() != TrialState.RUNNING) {
                    finished.add(f);
                    started++;
                } else {
                    finished.add(new FrozenTrial(f.number(), TrialState.FAIL, f.params(), null, f.intermediate(), f.runId()));
                }
            }
            log.printf("resuming study '%s' (run %s): %d trials done, %d interrupted%n", config.study(), studyRunId, started, interrupted);
        } else {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(StudyRecords.ROLE_TAG, "study");
            tags.put(StudyRecords.STUDY_TAG, config.study());
            tags.put(StudyRecords.DIRECTION_TAG, config.direction().name());
            tags.put(StudyRecords.SAMPLER_TAG, config.sampler());
            studyRunId = store.createRun(experimentId, config.study(), store.now(), null, tags, true).runId();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("hpo.sampler", config.sampler());
            params.put("hpo.seed", config.seed());
            params.put("hpo.trials", config.trials());
            params.put("hpo.objective", config.objective());
            params.put("hpo.pruner", config.pruner() == null ? "none" : config.pruner().toString());
            config.space().params().forEach((k, v) -> params.put("hpo.space." + k, v.toString()));
            store.logBatch(studyRunId, List.of(), new ArrayList<>(Params.flatten(params).entrySet()), List.of());
        }
        alive.add(studyRunId);
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tarka-hpo-heartbeat");
            t.setDaemon(true);
            return t;
        });
        beat.scheduleAtFixedRate(() -> alive.forEach(id -> {
            try {
                store.heartbeat(id);
            } catch (RuntimeException ignored) {
                // retried at the next beat
            }
        }), 5, 5, TimeUnit.SECONDS);
        long deadline = config.timeoutSeconds() > 0 ? System.nanoTime() + (long) (config.timeoutSeconds() * 1e9) : Long.MAX_VALUE;
        ExecutorService workers = Executors.newFixedThreadPool(config.parallel(), r -> {
            Thread t = new Thread(r, "tarka-hpo-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < config.parallel(); w++) futures.add(workers.submit(() -> workLoop(experimentId, studyRunId, deadline)));
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("hpo worker failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        } finally {
            workers.shutdownNow();
            beat.shutdownNow();
        }
        List<FrozenTrial> all;
        synchronized (this) {
            all = new ArrayList<>(finished);
        }
        all.sort(java.util.Comparator.comparingInt(FrozenTrial::number));
        FrozenTrial best = best(all);
        if (best != null) {
            List<Metric> m = List.of(new Metric("best_value", best.value(), store.now(), best.number()));
            store.logMetrics(studyRunId, m);
            store.setTag(studyRunId, "tarka.hpo.best_trial", Integer.toString(best.number()));
        }
        store.updateRun(studyRunId, RunStatus.FINISHED, store.now(), null, null);
        alive.remove(studyRunId);
        return new Result(studyRunId, resumed, all, best);
    }

    private FrozenTrial best(List<FrozenTrial> trials) {
        FrozenTrial best = null;
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE && t.value() != null && !t.value().isNaN()
                    && (best == null || config.direction().better(t.value(), best.value()))) best = t;
        }
        return best;
    }

    private record Claim(int number, List<FrozenTrial> history) {
    }

    private synchronized Claim claim(long deadline) {
        int limit = config.trials();
        int gridMax = sampler.maxTrials(config.space());
        if (started >= limit || System.nanoTime() > deadline || (gridMax >= 0 && nextNumber >= gridMax)) return null;
        started++;
        return new Claim(nextNumber++, List.copyOf(finished));
    }

    private void workLoop(String experimentId, String studyRunId, long deadline) {
        for (Claim c; (c = claim(deadline)) != null; ) runTrial(experimentId, studyRunId, c);
    }

    private void runTrial(String experimentId, String studyRunId, Claim claim) {
        int n = claim.number();
        long seed = trialSeed(config.seed(), n);
        Map<String, Object> params = sampler.sample(config.space(), claim.history(), config.direction(), n, new Random(seed));
        Map<String, String> tags = Map.of(StudyRecords.TRIAL_TAG, Integer.toString(n), StudyRecords.STATE_TAG, TrialState.RUNNING.name(),
                StudyRecords.SEED_TAG, Long.toString(seed));
        String runId = store.createRun(experimentId, config.study() + "-trial-" + n, store.now(), studyRunId, tags, true).runId();
        alive.add(runId);
        store.logBatch(runId, List.of(), new ArrayList<>(Params.flatten(params).entrySet()), List.of());
        TrialContext ctx = new TrialContext(n, seed, params, runId, store, (own, step) -> {
            if (config.pruner() == null) return false;
            List<FrozenTrial> snapshot;
            synchronized (this) {
                snapshot = List.copyOf(finished);
            }
            return config.pruner().shouldPrune(snapshot, own, step, config.direction());
        });
        TrialState state;
        Double value = null;
        String error = null;
        try {
            double v = objective.evaluate(ctx);
            if (ctx.isPruned()) {
                state = TrialState.PRUNED;
            } else if (Double.isNaN(v)) {
                state = TrialState.FAIL;
                error = "objective returned NaN";
            } else {
                state = TrialState.COMPLETE;
                value = v;
            }
        } catch (TrialPrunedException e) {
            state = TrialState.PRUNED;
        } catch (Exception | Error e) {
            state = TrialState.FAIL;
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (value != null) store.logMetrics(runId, List.of(new Metric(StudyRecords.VALUE_METRIC, value, store.now(), ctx.intermediate().isEmpty() ? 0 : ctx.intermediate().lastKey())));
        store.setTag(runId, StudyRecords.STATE_TAG, state.name());
        store.updateRun(runId, state == TrialState.FAIL ? RunStatus.FAILED : RunStatus.FINISHED, store.now(), null, error);
        alive.remove(runId);
        FrozenTrial done = new FrozenTrial(n, state, params, value, ctx.intermediate(), runId);
        synchronized (this) {
            finished.add(done);
        }
        log.printf("trial %3d %-8s %s %s%n", n, state, value == null ? (error != null ? error : "") : String.format("value=%.6g", value), params);
    }
}
