package ai.tarka.common;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project's shared real data lives ({@code shared/data} beside the project root): the
 * system property {@code tarka.shared.data}, else the environment variable {@code TARKA_SHARED_DATA},
 * else {@code ../shared/data} relative to the working directory or any of its parents (Maven runs
 * module tests from the module folder), else beside the project root the launcher names in {@code tarka.home}
 * (so {@code tarka} run from any folder finds it).
 */
public final class SharedData {
    private SharedData() {}

    /** The shared data folder; throws with the ways to point at it when it cannot be found. */
    public static Path root() {
        String p = System.getProperty("tarka.shared.data");
        if (p == null || p.isBlank()) p = System.getenv("TARKA_SHARED_DATA");
        if (p != null && !p.isBlank()) {
            Path given = Path.of(p).toAbsolutePath().normalize();
            if (!Files.isDirectory(given)) {
                throw new IllegalStateException("shared data folder " + given + " (from tarka.shared.data / TARKA_SHARED_DATA) does not exist");
            }
            return given;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/data").normalize();
            if (Files.isDirectory(candidate)) return candidate;
        }
        String home = System.getProperty("tarka.home");
        if (home != null && !home.isBlank()) {
            Path candidate = Path.of(home).toAbsolutePath().resolve("../shared/data").normalize();
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("shared data folder not found: set -Dtarka.shared.data=PATH or TARKA_SHARED_DATA=PATH "
                + "(default: ../shared/data beside the project root)");
    }

    /** A file or folder under the shared data root; throws naming the full path when absent. */
    public static Path resolve(String relative) {
        Path f = root().resolve(relative);
        if (!Files.exists(f)) throw new IllegalStateException("shared data file missing: " + f);
        return f;
    }
}
