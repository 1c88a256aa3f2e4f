package ai.tarka.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tarka bench ...}: speed measurements, printed as a table and optionally as JSON. */
@Command(mixinStandardHelpOptions = true, name = "bench", description = "Measure speed (GEMM, attention, block, tokenizer, training, fine-tuning, generation, memory, serving) against peers in the same run.",
        subcommands = {GemmBench.class, AttentionBench.class, BlockBench.class, TokenizerBench.class, BenchTrain.class, ai.tarka.cli.eval.BenchModelsCommand.class, ai.tarka.cli.finetune.FinetuneBench.class, MemoryBench.class, GenerateBench.class, ServeBench.class})
public final class BenchCommand implements Runnable, ai.tarka.cli.StagedCommand {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
