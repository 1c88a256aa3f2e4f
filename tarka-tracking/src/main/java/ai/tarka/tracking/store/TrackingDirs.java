package ai.tarka.tracking.store;

import java.nio.file.Path;

/** Where the tracking store lives: an explicit directory, else $TARKA_TRACKING_DIR, else ~/.tarka. */
public final class TrackingDirs {
    public static final String ENV = "TARKA_TRACKING_DIR";

    private TrackingDirs() {
    }

    public static Path resolve(Path explicit) {
        if (explicit != null) return explicit.toAbsolutePath();
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
        return Path.of(System.getProperty("user.home"), ".tarka").toAbsolutePath();
    }
}
