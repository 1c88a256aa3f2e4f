package ai.tarka.tracking.hpo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds an objective by name: the built-in {@code quadratic}, else an {@link ObjectiveProvider} on the class path. */
public final class Objectives {
    private Objectives() {
    }

    public static Objective create(HpoConfig config, Path configDir) {
        if (config.objective().equals("quadratic")) return NoisyQuadratic.fromOptions(config.space(), config.objectiveOptions());
        List<String> known = new ArrayList<>(List.of("quadratic"));
        for (ObjectiveProvider p : ServiceLoader.load(ObjectiveProvider.class)) {
            if (p.name().equals(config.objective())) return p.create(config.objectiveOptions(), configDir);
            known.add(p.name());
        }
        throw new IllegalArgumentException("unknown objective '" + config.objective() + "'; available: " + String.join(", ", known));
    }
}
