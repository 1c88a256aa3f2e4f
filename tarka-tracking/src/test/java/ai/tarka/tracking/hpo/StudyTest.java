package ai.tarka.tracking.hpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyTest {
    @TempDir
    Path dir;

    static final String CONFIG = """
            study: %s
            direction: minimize
            sampler: %s
            seed: 7
            trials: %d
            parallel: %d
            pruner: {type: median, startup_trials: 3}
            objective: {name: quadratic, steps: 10, noise: 0.01, optimum: {lr: 1.0e-3, warmup: 40}}
            space:
              lr: {type: float, low: 1e-5, high: 1e-1, log: true}
              warmup: {type: int, low: 0, high: 200, step: 10}
            """;

    static HpoConfig config(String study, String sampler, int trials, int parallel) throws Exception {
        return HpoConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(CONFIG.formatted(study, sampler, trials, parallel)));
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void twelveTrialTpeStudyPrunesAndNestsTrials() throws Exception {
        HpoConfig c = config("tpe-study", "tpe", 12, 1);
        try (TrackingStore store = TrackingStore.open(dir)) {
            Study.Result r = new Study(store, c, Objectives.create(c, dir), quiet()).run();
            assertThat(r.trials()).hasSize(12);
            assertThat(r.count(TrialState.PRUNED)).as("pruned trials").isPositive();
            assertThat(r.count(TrialState.COMPLETE)).isGreaterThanOrEqualTo(3);
            assertThat(r.best()).isNotNull();
            Run study = store.getRun(r.studyRunId());
            assertThat(study.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(study.latestMetrics().get("best_value").value()).isEqualTo(r.best().value());
            List<Run> children = store.childRuns(r.studyRunId());
            assertThat(children).hasSize(12).allSatisfy(ch -> {
                assertThat(ch.tags()).containsKeys(StudyRecords.TRIAL_TAG, StudyRecords.STATE_TAG, StudyRecords.SEED_TAG);
                assertThat(ch.params()).containsKeys("lr", "warmup");
            });
            // Pruned trials stopped before the last step.
            for (FrozenTrial t : r.trials()) {
                if (t.state() == TrialState.PRUNED) assertThat(t.intermediate().lastKey()).isLessThan(10L);
                if (t.state() == TrialState.COMPLETE) assertThat(t.intermediate().lastKey()).isEqualTo(10L);
            }
        }
    }

    @Test
    void randomTrialsAreTheSameAtAnyParallelism() throws Exception {
        Map<Integer, Map<String, Object>> serial = new java.util.TreeMap<>(), parallel = new java.util.TreeMap<>();
        try (TrackingStore store = TrackingStore.open(dir)) {
            HpoConfig c1 = config("serial", "random", 8, 1), c3 = config("parallel", "random", 8, 3);
            new Study(store, c1, Objectives.create(c1, dir), quiet()).run().trials().forEach(t -> serial.put(t.number(), t.params()));
            new Study(store, c3, Objectives.create(c3, dir), quiet()).run().trials().forEach(t -> parallel.put(t.number(), t.params()));
        }
        assertThat(parallel).isEqualTo(serial).hasSize(8);
    }

    /** Child main: runs the study but halts the JVM (as a crash would) in the middle of trial 5. */
    public static final class Crasher {
        public static void main(String[] args) throws Exception {
            HpoConfig c = config("crashy", "random", 12, 1);
            try (TrackingStore store = TrackingStore.open(Path.of(args[0]))) {
                Objective q = Objectives.create(c, Path.of(args[0]));
                new Study(store, c, t -> {
                    if (t.number() == 5) {
                        t.report(1, 1.0);
                        Runtime.getRuntime().halt(3);
                    }
                    return q.evaluate(t);
                }, System.out).run();
            }
        }
    }

    @Test
    void aCrashedStudyResumesFromTheStore() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Crasher.class.getName(), dir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        HpoConfig c = config("crashy", "random", 12, 1);
        try (TrackingStore fresh = TrackingStore.open(dir)) {
            assertThatThrownBy(() -> new Study(fresh, c, Objectives.create(c, dir), quiet()).run())
                    .hasMessageContaining("being run by another process");
        }
        // Two minutes later the crashed process's heartbeats are stale.
        try (TrackingStore store = TrackingStore.open(dir, Duration.ofSeconds(60), () -> System.currentTimeMillis() + 120_000)) {
            Study.Result r = new Study(store, c, Objectives.create(c, dir), quiet()).run();
            assertThat(r.resumed()).isTrue();
            FrozenTrial five = r.trials().stream().filter(t -> t.number() == 5).findFirst().orElseThrow();
            assertThat(five.state()).isEqualTo(TrialState.FAIL);
            assertThat(r.trials()).hasSize(13);
            assertThat(r.trials().stream().filter(t -> t.number() != 5)).hasSize(12).allMatch(t -> t.state() != TrialState.RUNNING);
            Run interrupted = store.getRun(five.runId());
            assertThat(interrupted.tags()).containsEntry(StudyRecords.INTERRUPTED_TAG, "true");
            assertThat(interrupted.info().status()).isEqualTo(RunStatus.KILLED);
            assertThat(store.getRunInfo(r.studyRunId()).status()).isEqualTo(RunStatus.FINISHED);
        }
    }

    @Test
    void aTimeoutStopsStartingTrialsAndAGridStopsWhenExhausted() throws Exception {
        try (TrackingStore store = TrackingStore.open(dir)) {
            HpoConfig expired = config("timed", "random", 50, 2).withOverrides(null, 1e-9, null);
            Study.Result r = new Study(store, expired, Objectives.create(expired, dir), quiet()).run();
            assertThat(r.trials()).isEmpty();
            assertThat(r.best()).isNull();
            assertThat(store.getRunInfo(r.studyRunId()).status()).isEqualTo(RunStatus.FINISHED);
            HpoConfig grid = HpoConfig.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                    study: grid
                    sampler: grid
                    trials: 100
                    parallel: 3
                    pruner: none
                    objective: {name: quadratic, steps: 3}
                    space:
                      warmup: {type: int, low: 0, high: 40, step: 10}
                      opt: {type: categorical, choices: [adamw, sgd]}
                    """));
            Study.Result g = new Study(store, grid, Objectives.create(grid, dir), quiet()).run();
            assertThat(g.trials()).hasSize(10).allMatch(t -> t.state() == TrialState.COMPLETE);
            assertThat(g.trials().stream().map(FrozenTrial::params).distinct()).hasSize(10);
        }
    }

    @Test
    void configErrorsNameTheFileAndField() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "study: s\nobjective: quadratic\nspace:\n  lr: {type: float, low: 0, high: 1, log: true}\n");
        assertThatThrownBy(() -> HpoConfig.read(bad)).hasMessageContaining("bad.yaml").hasMessageContaining("space.lr").hasMessageContaining("log scale needs low > 0");
        Path noSpace = Files.writeString(dir.resolve("nospace.yaml"), "study: s\nobjective: quadratic\n");
        assertThatThrownBy(() -> HpoConfig.read(noSpace)).hasMessageContaining("field 'space'");
        Path unknown = Files.writeString(dir.resolve("u.yaml"), "study: s\nobjective: train-gpt5\nspace:\n  x: {type: int, low: 0, high: 3}\n");
        HpoConfig c = HpoConfig.read(unknown);
        assertThatThrownBy(() -> Objectives.create(c, dir)).hasMessageContaining("unknown objective 'train-gpt5'").hasMessageContaining("quadratic");
    }
}
