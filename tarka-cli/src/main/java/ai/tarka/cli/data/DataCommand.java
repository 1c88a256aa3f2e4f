package ai.tarka.cli.data;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tarka data ...}: turn text into token shards for training. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Prepare training data: tokenize text and JSONL into memory-mapped token shards.",
        subcommands = {PrepareCommand.class, InspectCommand.class})
public final class DataCommand implements Runnable, StagedCommand {
    @Spec
    CommandSpec spec;

    @Override
    public Stage stage() {
        return Stage.DATA;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
