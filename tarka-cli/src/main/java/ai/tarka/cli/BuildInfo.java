package ai.tarka.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version baked in at build time (resource filtered by Maven). */
final class BuildInfo {
    private BuildInfo() {}

    static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/tarka-version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
