package ai.tarka.cli.train;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.cli.progress.Progress;
import ai.tarka.cli.tracking.TrackingOptions;
import ai.tarka.cli.tracking.TrackingTrainingListener;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.TrackedRun;
import ai.tarka.tracking.Tracker;
import ai.tarka.train.TrainingListener;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import ai.tarka.data.prepare.DataPreparer;
import ai.tarka.train.HeapFittingListener;
import ai.tarka.train.HeapTarget;
import ai.tarka.train.Trainer;
import ai.tarka.train.TrainingListener.TrainSummary;
import ai.tarka.train.config.TrainConfig;
import ai.tarka.train.config.TrainConfigReader;
import ai.tarka.train.data.PreparedInputs;
import ai.tarka.train.io.HfCheckpointBackend;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tarka train CONFIG.yaml}: pretrain or continue training a causal LM as the YAML config says. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a GPT-2 or Llama model as a YAML config says (see recipes/).",
                "Keys as in Axolotl: sequence_len, micro_batch_size, gradient_accumulation_steps, learning_rate, "
                + "lr_scheduler, warmup_steps, max_steps, eval_steps, save_steps, seed, output_dir, ...",
                "Checkpoints go to OUTPUT_DIR/checkpoint-STEP (config.json, model.safetensors, tokenizer.json, "
                + "trainer_state/), metrics to OUTPUT_DIR/metrics.jsonl. --resume continues from the latest checkpoint "
                + "with the same loss curve as an uninterrupted run."})
public final class TrainCommand implements Callable<Integer>, StagedCommand {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "The training config.")
    Path configFile;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in the output directory.")
    boolean resume;

    @Option(names = "--max-steps", paramLabel = "N", description = "Override max_steps.")
    Integer maxSteps;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Override output_dir.")
    Path outputDir;

    @Option(names = "--experiment", paramLabel = "NAME",
            description = "Experiment to record the run under. Default: the config file's name without extension.")
    String experiment;

    @Option(names = "--eval-tasks", paramLabel = "TASKS", split = ",",
            description = "Evaluation tasks (built-in names or task YAML files, as tarka eval takes) to run at every eval_steps.")
    java.util.List<String> evalTasks;

    @Option(names = "--eval-limit", paramLabel = "N", defaultValue = "50",
            description = "Documents per evaluation task during training (0 for all; default ${DEFAULT-VALUE}).")
    int evalLimit;

    @Mixin
    TrackingOptions tracking;

    @Override
    public Stage stage() {
        return Stage.MODEL;
    }

    @Override
    public Integer call() {
        TrainConfig config = TrainConfigReader.read(configFile);
        if (maxSteps != null) config = config.withMaxSteps(maxSteps);
        if (outputDir != null) config = config.withOutputDir(outputDir);
        PrintStream err = System.err;
        TrainSummary summary;
        try (Tracker tracker = tracking.open();
             TrackedRun run = tracker == null ? null : startRun(tracker, config)) {
            try (PreparedInputs inputs = PreparedInputs.open(config, new PrepareProgress(), err::println);
                 TrainProgress progress = new TrainProgress(err)) {
                TrainingListener listener = run == null ? progress : new TrackingTrainingListener(run, progress);
                // the launcher runs training on ZGC (bin/jvm-flags-training), whose heap target then follows the live set
                long tokens = (long) config.microBatchSize() * config.sequenceLen();
                Trainer trainer = new Trainer(config, new HfCheckpointBackend(), inputs.inputs(), new HeapFittingListener(listener,
                        plan -> HeapTarget.activationBytes(plan.model(), tokens, false), Long.getLong("tarka.train.minHeadroomMiB", 1024) << 20));
                if (evalTasks != null && !evalTasks.isEmpty()) trainer.withEvalTasks(ai.tarka.cli.eval.HarnessEvalTasks.of(evalTasks, evalLimit, spec.commandLine().getErr()));
                summary = trainer.run(resume);
            } catch (RuntimeException | Error e) {
                if (run != null) run.finish(RunStatus.FAILED, e);
                throw e;
            }
        }
        spec.commandLine().getOut().println(describe(summary));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** A run named after the output directory, with the config file's keys (and the overrides) as params. */
    private TrackedRun startRun(Tracker tracker, TrainConfig config) {
        String name = experiment != null ? experiment : configFile.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Map<String, Object> params = new LinkedHashMap<>(readYaml(configFile));
        params.put("output_dir", config.outputDir().toString());
        params.put("max_steps", config.maxSteps());
        TrackedRun run = tracker.startRun(name, config.outputDir().getFileName().toString(), resume ? Map.of() : params);
        run.logInput("config", configFile);
        return run;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(Path file) {
        try {
            Map<String, Object> m = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
            return m == null ? Map.of() : m;
        } catch (IOException e) {
            return Map.of(); // the reader above already validated the file; params are a courtesy
        }
    }

    static String describe(TrainSummary s) {
        return String.format("trained %d steps, %,d tokens in %s: train loss %.4f, val loss %s; checkpoint %s",
                s.steps(), s.tokens(), TrainProgress.duration(s.seconds()), s.finalTrainLoss(),
                Double.isNaN(s.finalValLoss()) ? "-" : String.format("%.4f", s.finalValLoss()),
                s.checkpoint() == null ? "-" : s.checkpoint());
    }

    /** Shows data preparation (for a raw text file) as a byte progress bar. */
    private static final class PrepareProgress implements DataPreparer.Listener {
        private Progress progress;

        @Override
        public void start(String phase, long totalBytes) {
            progress = Progress.start(phase, totalBytes, "B");
        }

        @Override
        public void bytes(long n) {
            if (progress != null) progress.step(n);
        }

        @Override
        public void end() {
            if (progress != null) progress.close();
            progress = null;
        }
    }
}
