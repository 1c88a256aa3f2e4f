package ai.tarka.cli.tracking;

import ai.tarka.tracking.hpo.Objective;
import ai.tarka.tracking.hpo.ObjectiveProvider;
import java.nio.file.Path;
import java.util.Map;

/** {@code objective: {name: train, config: tiny.yaml, max_steps: 300}} in a study config. */
public final class TrainObjectiveProvider implements ObjectiveProvider {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public Objective create(Map<String, Object> options, Path configDir) {
        Object config = options.get("config");
        if (config == null) throw new IllegalArgumentException("objective 'train' needs option 'config' (the training YAML)");
        Object steps = options.get("max_steps");
        return new TrainObjective(configDir.resolve(config.toString()), steps == null ? null : ((Number) steps).intValue(),
                Boolean.TRUE.equals(options.get("seed_per_trial")));
    }
}
