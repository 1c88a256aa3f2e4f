package ai.tarka.cli.tracking;

import ai.tarka.tracking.store.TrackingDirs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --tracking-dir}: where the run store lives (else $TARKA_TRACKING_DIR, else ~/.tarka). */
public final class TrackingDirOption {
    @Option(names = "--tracking-dir", paramLabel = "DIR",
            description = "Run store folder (tracking.db + artifacts/). Default: $TARKA_TRACKING_DIR, else ~/.tarka.")
    Path dir;

    public Path resolve() {
        return TrackingDirs.resolve(dir);
    }
}
