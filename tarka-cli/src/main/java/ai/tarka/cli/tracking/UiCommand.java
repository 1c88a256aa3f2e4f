package ai.tarka.cli.tracking;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.tracking.server.TrackingServer;
import ai.tarka.tracking.store.TrackingStore;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tarka ui}: the run dashboard and the MLflow-compatible REST API. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Serve the run dashboard and MLflow's tracking REST API (/api/2.0/mlflow) over the run store.",
                "MLflow clients work against it: MLFLOW_TRACKING_URI=http://HOST:PORT."})
public final class UiCommand implements Callable<Integer>, StagedCommand {
    @Mixin
    TrackingDirOption trackingDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "5000", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Override
    public Stage stage() {
        return Stage.EVALUATE;
    }

    /** Kept referenced: JUL holds loggers weakly, and a collected logger forgets its level. */
    private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

    @Override
    public Integer call() throws Exception {
        HELIDON_LOG.setLevel(java.util.logging.Level.WARNING); // its start-up INFO lines bury the URL
        TrackingStore store = TrackingStore.open(trackingDir.resolve());
        TrackingServer server = TrackingServer.start(store, host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            stopped.countDown();
        }));
        System.out.printf("tarka ui: http://%s:%d  (store %s; Ctrl-C stops)%n", host, server.port(), store.databaseFile());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
