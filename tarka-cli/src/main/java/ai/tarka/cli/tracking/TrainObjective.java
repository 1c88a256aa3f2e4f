package ai.tarka.cli.tracking;

import ai.tarka.data.prepare.DataPreparer;
import ai.tarka.tracking.hpo.Objective;
import ai.tarka.tracking.hpo.TrialContext;
import ai.tarka.tracking.hpo.TrialPrunedException;
import ai.tarka.train.Trainer;
import ai.tarka.train.TrainingListener;
import ai.tarka.train.config.TrainConfig;
import ai.tarka.train.config.TrainConfigReader;
import ai.tarka.train.data.PreparedInputs;
import ai.tarka.train.io.HfCheckpointBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trial = one {@code tarka train} run: the trial's params override keys of the training config (dotted keys
 * reach into sections, e.g. {@code model.n_layer}), the validation loss of every evaluation goes to
 * {@link TrialContext#report} (a prune stops training), and the objective value is the final validation loss.
 * Each trial trains into {@code output_dir/trial-N-RUNID}. Options: {@code config} (the training YAML, relative to
 * the study config), {@code max_steps}, {@code seed_per_trial} (false: every trial uses the config's seed, so
 * trials differ only in their params).
 */
final class TrainObjective implements Objective {
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Path configFile;
    private final String yaml;
    private final Integer maxSteps;
    private final boolean seedPerTrial;

    TrainObjective(Path configFile, Integer maxSteps, boolean seedPerTrial) {
        this.configFile = configFile;
        try {
            this.yaml = Files.readString(configFile);
        } catch (IOException e) {
            throw new UncheckedIOException("train objective: cannot read the training config " + configFile + ": " + e.getMessage(), e);
        }
        this.maxSteps = maxSteps;
        this.seedPerTrial = seedPerTrial;
    }

    /** The training config of a trial, as YAML text. */
    String trialYaml(TrialContext trial) throws IOException {
        ObjectNode root = (ObjectNode) YAML.readTree(yaml);
        for (Map.Entry<String, Object> p : trial.params().entrySet()) set(root, p.getKey(), p.getValue());
        if (maxSteps != null) root.put("max_steps", maxSteps);
        if (seedPerTrial) root.put("seed", (int) (trial.seed() & 0x7fffffff));
        String base = root.path("output_dir").asText("out");
        root.put("output_dir", Path.of(base).resolve("trial-" + trial.number() + "-" + trial.runId().substring(0, 8)).toString());
        return YAML.writeValueAsString(root);
    }

    private static void set(ObjectNode root, String dotted, Object value) {
        String[] parts = dotted.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode o)) throw new IllegalArgumentException("train objective: search parameter '" + dotted + "' names no section of the training config");
            node = o;
        }
        String key = parts[parts.length - 1];
        switch (value) {
            case Double d -> node.put(key, d);
            case Long l -> node.put(key, l);
            default -> node.put(key, value.toString());
        }
    }

    @Override
    public double evaluate(TrialContext trial) throws Exception {
        TrainConfig config = TrainConfigReader.parse(trialYaml(trial), configFile);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                trial.logMetrics(r.step(), Map.of("loss", r.loss(), "learning_rate", r.lr(), "grad_norm", r.gradNorm(),
                        "tokens_per_second", r.tokensPerSecond()));
            }

            @Override
            public void onEval(EvalReport r) {
                trial.logMetrics(r.step(), Map.of("val_loss", r.valLoss()));
                if (trial.report(r.step(), r.valLoss())) {
                    throw new TrialPrunedException("trial " + trial.number() + " pruned at step " + r.step() + " (val loss " + r.valLoss() + ")");
                }
            }
        };
        try (PreparedInputs inputs = PreparedInputs.open(config, DataPreparer.Listener.NONE, note -> { })) {
            double val = new Trainer(config, new HfCheckpointBackend(), inputs.inputs(), listener).run(false).finalValLoss();
            if (Double.isNaN(val)) {
                throw new IllegalStateException("train objective: the run made no evaluation; set eval_steps so that it evaluates at least once");
            }
            return val;
        }
    }
}
