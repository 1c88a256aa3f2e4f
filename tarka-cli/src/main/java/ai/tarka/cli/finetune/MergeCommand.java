package ai.tarka.cli.finetune;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.finetune.AdapterMerge;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tarka merge}: folds a PEFT LoRA adapter into its base model and writes a plain checkpoint. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Fold a LoRA adapter into its base model and write a plain checkpoint.",
                "The adapter is in PEFT's format (adapter_config.json + adapter_model.safetensors, from Tarka or Python PEFT); "
                + "the output is a Hugging Face checkpoint (config.json + model.safetensors)."})
public final class MergeCommand implements Callable<Integer>, StagedCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--base", required = true, paramLabel = "MODEL", description = "Base model: HF folder, .gguf or llama2.c .bin.")
    Path base;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "Adapter folder.")
    Path adapter;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Where the merged model goes.")
    Path output;

    @Override
    public Stage stage() {
        return Stage.MODEL;
    }

    @Override
    public Integer call() {
        var merged = AdapterMerge.merge(base, adapter, output, w -> System.err.println("warning: " + w));
        spec.commandLine().getOut().printf("merged %s into %s: %,d parameters written to %s%n", adapter, base,
                merged.module().numParameters(), output);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
