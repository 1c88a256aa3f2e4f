package ai.tarka.cli.tracking;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.tracking.hpo.FrozenTrial;
import ai.tarka.tracking.hpo.HpoConfig;
import ai.tarka.tracking.hpo.Objectives;
import ai.tarka.tracking.hpo.Study;
import ai.tarka.tracking.hpo.TrialState;
import ai.tarka.tracking.store.TrackingStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tarka hpo CONFIG.yaml}: a hyperparameter study recorded in the run store. */
@Command(name = "hpo", mixinStandardHelpOptions = true,
        description = {"Run a hyperparameter search (random, grid or TPE sampler; median pruning) described by CONFIG.yaml.",
                "Each trial is a nested run of the study's run; a study whose process died resumes when run again.",
                "See the dashboard (tarka ui) for the optimisation history, parallel coordinates and importances."})
public final class HpoCommand implements Callable<Integer>, StagedCommand {
    @Parameters(paramLabel = "CONFIG.yaml", description = "The study: space, sampler, pruner, objective.")
    Path config;

    @Mixin
    TrackingDirOption trackingDir;

    @Option(names = "--trials", paramLabel = "N", description = "Number of trials (overrides the config).")
    Integer trials;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Start no trial after this many seconds.")
    Double timeout;

    @Option(names = "--parallel", paramLabel = "N", description = "Trials run at once (overrides the config).")
    Integer parallel;

    @Override
    public Stage stage() {
        return Stage.MODEL;
    }

    @Override
    public Integer call() throws Exception {
        HpoConfig c = HpoConfig.read(config).withOverrides(trials, timeout, parallel);
        try (TrackingStore store = TrackingStore.open(trackingDir.resolve())) {
            Path dir = config.toAbsolutePath().getParent();
            Study.Result r = new Study(store, c, Objectives.create(c, dir), System.out).run();
            System.out.printf("study %s (run %s)%s: %d trials: %d complete, %d pruned, %d failed%n", c.study(), r.studyRunId(),
                    r.resumed() ? " resumed" : "", r.trials().size(), r.count(TrialState.COMPLETE), r.count(TrialState.PRUNED), r.count(TrialState.FAIL));
            FrozenTrial best = r.best();
            if (best == null) {
                System.out.println("no trial completed");
                return 1;
            }
            System.out.printf("best trial %d: value %.6g%n", best.number(), best.value());
            best.params().forEach((k, v) -> System.out.printf("  %s: %s%n", k, v));
        }
        return 0;
    }
}
