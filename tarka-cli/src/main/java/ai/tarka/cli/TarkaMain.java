package ai.tarka.cli;

import ai.tarka.cli.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code tarka} command. Subcommands are grouped by lifecycle stage in the help; a stage
 * appears only once something in it works.
 */
@Command(name = "tarka",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The whole life of a language model on the JVM: build, train, evaluate and serve, in pure Java.",
        subcommands = {ai.tarka.cli.tokenizer.TokenizerCommand.class, ai.tarka.cli.data.DataCommand.class, ai.tarka.cli.train.TrainCommand.class, ai.tarka.cli.finetune.FinetuneCommand.class, ai.tarka.cli.finetune.MergeCommand.class, ai.tarka.cli.generate.GenerateCommand.class, ai.tarka.cli.quantize.QuantizeCommand.class, ai.tarka.cli.quantize.ConvertCommand.class, ai.tarka.cli.tracking.HpoCommand.class, ai.tarka.cli.tracking.RunsCommand.class, ai.tarka.cli.tracking.UiCommand.class, ai.tarka.cli.serve.ServeCommand.class, BenchCommand.class, ai.tarka.cli.eval.EvalCommand.class, InfoCommand.class},
        footer = {"", "Run 'tarka COMMAND --help' for a command's options."})
public final class TarkaMain implements Runnable {

    @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        String missing = ai.tarka.kernels.VectorSupport.missingModuleMessage();
        if (missing != null) {
            System.err.println("tarka: error: " + missing);
            System.exit(2);
        }
        String slow = ai.tarka.kernels.VectorSupport.slowVectorWarning();
        if (slow != null) System.err.println("tarka: warning: " + slow);
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = newCommandLine();
        return cl.execute(args);
    }

    /** Subcommands answer {@code --version} with the same text as the root. */
    private static void shareVersion(CommandLine cl, VersionProvider v) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(v);
            shareVersion(sub, v);
        }
    }

    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new TarkaMain());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        HelpSections.install(cl);
        shareVersion(cl, new VersionProvider());
        return cl;
    }
}
