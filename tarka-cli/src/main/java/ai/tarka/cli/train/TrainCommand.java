package ai.tarka.cli.train;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.cli.progress.Progress;
import ai.tarka.data.prepare.DataPreparer;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tarka train CONFIG.yaml}: pretrain or continue training a causal LM as the YAML config says. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a GPT-2 or Llama model from a YAML config (keys as in Axolotl: sequence_len, micro_batch_size, "
                + "gradient_accumulation_steps, learning_rate, lr_scheduler, warmup_steps, max_steps, eval_steps, save_steps, "
                + "seed, output_dir, ...; see recipes/).",
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
        try (PreparedInputs inputs = PreparedInputs.open(config, new PrepareProgress());
             TrainProgress progress = new TrainProgress(err)) {
            summary = new Trainer(config, new HfCheckpointBackend(), inputs.inputs(), progress).run(resume);
        }
        spec.commandLine().getOut().println(describe(summary));
        spec.commandLine().getOut().flush();
        return 0;
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
