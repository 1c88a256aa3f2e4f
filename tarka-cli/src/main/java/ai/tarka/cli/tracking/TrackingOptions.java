package ai.tarka.cli.tracking;

import ai.tarka.tracking.Tracker;
import ai.tarka.tracking.store.TrackingDirs;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The tracking options of commands that record runs ({@code tarka train}, {@code finetune}, {@code eval}):
 * add with {@code @Mixin TrackingOptions tracking;} and record with {@code try (Tracker t = tracking.open())}.
 */
public final class TrackingOptions {
    @Option(names = "--tracking-dir", paramLabel = "DIR",
            description = "Run store folder. Default: $TARKA_TRACKING_DIR, else ~/.tarka.")
    Path dir;

    @Option(names = "--mlflow-uri", paramLabel = "URI",
            description = "Send the run to this MLflow tracking server (e.g. http://127.0.0.1:5000) instead of the local store.")
    URI mlflowUri;

    @Option(names = "--no-tracking", description = "Record no run.")
    boolean disabled;

    public boolean enabled() {
        return !disabled;
    }

    public Path resolvedDir() {
        return TrackingDirs.resolve(dir);
    }

    /** The tracker these options name; null when {@code --no-tracking}. */
    public Tracker open() {
        return disabled ? null : Tracker.open(dir, mlflowUri);
    }
}
