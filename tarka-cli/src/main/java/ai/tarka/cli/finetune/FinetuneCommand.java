package ai.tarka.cli.finetune;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.finetune.Finetune;
import ai.tarka.finetune.config.FinetuneConfig;
import ai.tarka.finetune.config.FinetuneConfigReader;
import ai.tarka.train.TrainingListener.TrainSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tarka finetune CONFIG.yaml}: supervised fine-tuning, full, LoRA or QLoRA, as the YAML config says. */
@Command(name = "finetune", mixinStandardHelpOptions = true, subcommands = PreprocessCommand.class,
        description = {"Fine-tune a model (full, LoRA or QLoRA) on instruction or chat data as a YAML config says.",
                "Keys as in Axolotl: base_model, datasets (path, type: alpaca|sharegpt|chat_template|prompt_completion|completion, field "
                + "mappings, roles), val_set_size, sequence_len, excess_length_strategy, sample_packing, adapter, lora_r, lora_alpha, lora_dropout, "
                + "lora_target_modules, lora_target_linear, micro_batch_size, gradient_accumulation_steps, num_epochs, "
                + "max_steps, learning_rate, lr_scheduler, warmup_steps, weight_decay, gradient_checkpointing, eval_steps, "
                + "save_steps, output_dir, seed (see recipes/instruct-*.yaml).",
                "Everything is checked before training starts. Adapters are written in PEFT's format (adapter_config.json, "
                + "adapter_model.safetensors); --resume continues from the latest checkpoint exactly."})
public final class FinetuneCommand implements Callable<Integer>, StagedCommand {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "The fine-tuning config.")
    Path configFile;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in the output directory.")
    boolean resume;

    @picocli.CommandLine.Option(names = "--eval-tasks", paramLabel = "TASKS", split = ",",
            description = "Evaluation tasks (built-in names or task YAML files, as tarka eval takes) to run at every eval_steps.")
    java.util.List<String> evalTasks;

    @picocli.CommandLine.Option(names = "--eval-limit", paramLabel = "N", defaultValue = "50",
            description = "Documents per evaluation task during training (0 for all; default ${DEFAULT-VALUE}).")
    int evalLimit;

    @picocli.CommandLine.Mixin
    ai.tarka.cli.tracking.TrackingOptions tracking;

    @Override
    public Stage stage() {
        return Stage.MODEL;
    }

    @Override
    public Integer call() {
        if (configFile == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'CONFIG.yaml'");
        }
        FinetuneConfig config = FinetuneConfigReader.read(configFile);
        PrintStream err = System.err;
        Finetune run = Finetune.prepare(config, w -> err.println("warning: " + w));
        err.printf(Locale.ROOT, "%s fine-tuning: %d training / %d validation examples in %d + %d rows of %d tokens (fill %.0f%%), %d steps%n",
                config.adapter().name().toLowerCase(Locale.ROOT), run.data().train().size(), run.data().validation().size(),
                run.data().batches().trainRows().size(), run.data().batches().evalRows().size(), config.sequenceLen(),
                100 * run.data().batches().trainRows().fill(), run.maxSteps());
        ai.tarka.train.EvalTasks tasks = evalTasks == null || evalTasks.isEmpty() ? null
                : ai.tarka.cli.eval.HarnessEvalTasks.of(evalTasks, evalLimit, spec.commandLine().getErr());
        TrainSummary s;
        try (ai.tarka.tracking.Tracker tracker = tracking.open();
             ai.tarka.tracking.TrackedRun tracked = tracker == null ? null : tracker.startRun("finetune",
                     config.outputDir().getFileName().toString(), resume ? java.util.Map.of() : java.util.Map.of(
                             "config", configFile.toAbsolutePath().toString(), "adapter", config.adapter().name(),
                             "base_model", config.baseModel().toString(), "learning_rate", config.learningRate(),
                             "max_steps", run.maxSteps(), "sequence_len", config.sequenceLen(), "seed", config.seed()))) {
            ai.tarka.train.TrainingListener progress = new FinetuneProgress(err, config.loggingSteps());
            try {
                s = run.run(resume, tracked == null ? progress
                        : new ai.tarka.cli.tracking.TrackingTrainingListener(tracked, progress), tasks);
            } catch (RuntimeException | Error e) {
                if (tracked != null) tracked.finish(ai.tarka.tracking.store.RunStatus.FAILED, e);
                throw e;
            }
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "fine-tuned %d steps, %,d tokens in %.1f s: train loss %.4f, val loss %s; output %s%n",
                s.steps(), s.tokens(), s.seconds(), s.finalTrainLoss(),
                Double.isNaN(s.finalValLoss()) ? "-" : String.format(Locale.ROOT, "%.4f", s.finalValLoss()), config.outputDir());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
