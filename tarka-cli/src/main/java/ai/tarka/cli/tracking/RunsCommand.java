package ai.tarka.cli.tracking;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.tracking.search.RunSearch;
import ai.tarka.tracking.store.Experiment;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.TrackingStore;
import ai.tarka.tracking.store.ViewType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tarka runs}: list runs from the store with MLflow's filter syntax. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List runs of the run store, newest first (filter and order with MLflow's search syntax).")
public final class RunsCommand implements Callable<Integer>, StagedCommand {
    @Mixin
    TrackingDirOption trackingDir;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME", description = "Only this experiment (default: all).")
    String experiment;

    @Option(names = "--filter", paramLabel = "EXPR", description = "e.g. \"metrics.loss < 2 and params.lr = '0.001'\"")
    String filter;

    @Option(names = "--order-by", paramLabel = "TERM", description = "e.g. \"metrics.loss ASC\" (repeatable).")
    List<String> orderBy = new ArrayList<>();

    @Option(names = "--metrics", split = ",", paramLabel = "KEY", description = "Metric columns (default: loss,val_loss,value).")
    List<String> metrics = List.of("loss", "val_loss", "value");

    @Option(names = "-n", defaultValue = "50", description = "At most N runs (default: ${DEFAULT-VALUE}).")
    int max;

    @Override
    public Stage stage() {
        return Stage.EVALUATE;
    }

    @Override
    public Integer call() {
        try (TrackingStore store = TrackingStore.open(trackingDir.resolve())) {
            List<String> ids = new ArrayList<>();
            for (Experiment e : store.searchExperiments(ViewType.ACTIVE_ONLY)) {
                if (experiment == null || e.name().equals(experiment)) ids.add(e.id());
            }
            if (experiment != null && ids.isEmpty()) throw new IllegalArgumentException("no experiment named '" + experiment + "' in " + store.databaseFile());
            List<Run> runs = RunSearch.search(store, ids, filter, ViewType.ACTIVE_ONLY, max, orderBy, null).runs();
            StringBuilder header = new StringBuilder(String.format("%-32s  %-24s  %-8s", "run id", "name", "status"));
            for (String m : metrics) header.append(String.format("  %12s", m));
            System.out.println(header);
            for (Run r : runs) {
                StringBuilder line = new StringBuilder(String.format("%-32s  %-24.24s  %-8s", r.info().runId(), r.info().runName(), r.info().status()));
                for (String m : metrics) {
                    var v = r.latestMetrics().get(m);
                    line.append(v == null ? String.format("  %12s", "-") : String.format("  %12.6g", v.value()));
                }
                System.out.println(line);
            }
            System.out.printf("%d runs%n", runs.size());
        }
        return 0;
    }
}
