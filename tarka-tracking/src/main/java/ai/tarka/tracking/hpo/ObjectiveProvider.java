package ai.tarka.tracking.hpo;

import java.nio.file.Path;
import java.util.Map;

/**
 * Makes objectives by name for {@code tarka hpo} ({@code objective: {name: ..., ...options}} in the study
 * config). Found through {@link java.util.ServiceLoader}, so the training module can contribute {@code train}.
 */
public interface ObjectiveProvider {
    String name();

    /** @param options the objective's options from the config; {@code configDir} resolves relative paths */
    Objective create(Map<String, Object> options, Path configDir);
}
