package ai.tarka.cli.finetune;

import ai.tarka.finetune.Finetune;
import ai.tarka.finetune.SampleDebug;
import ai.tarka.finetune.config.FinetuneConfig;
import ai.tarka.finetune.config.FinetuneConfigReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tarka finetune preprocess CONFIG --debug}: runs every check and shows how the examples are tokenized and masked. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Load, format, tokenize, mask and pack the datasets of a fine-tuning config (and load the model and "
                + "adapters), report the statistics; with --debug print examples token by token as (id, text, trained).")
public final class PreprocessCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "The fine-tuning config.")
    Path configFile;

    @Option(names = "--debug", description = "Print examples token by token with their training mask.")
    boolean debug;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "3", description = "Examples printed with --debug (default 3).")
    int samples;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FinetuneConfig config = FinetuneConfigReader.read(configFile);
        Finetune run = Finetune.prepare(config, w -> out.println("warning: " + w));
        var d = run.data();
        long tokens = 0, trained = 0;
        for (var s : d.train()) {
            tokens += s.length();
            trained += s.trainedCount();
        }
        out.printf(Locale.ROOT, "chat template: %s%n", run.template() == null ? "-" : run.template().name());
        out.printf(Locale.ROOT, "%d training examples (%,d tokens, %,d trained), %d validation examples%n", d.train().size(), tokens,
                trained, d.validation().size());
        out.printf(Locale.ROOT, "%d training rows of %d tokens (%s), %.1f%% filled, %d truncated examples; %d optimiser steps%n",
                d.batches().trainRows().size(), config.sequenceLen(), config.samplePacking() ? "packed" : "one example per row",
                100 * d.batches().trainRows().fill(), d.batches().trainRows().truncatedSamples(), run.maxSteps());
        out.printf(Locale.ROOT, "model: %,d parameters, %,d trained (%s)%n", run.model().module().numParameters(),
                run.model().module().numTrainableParameters(), config.adapter().name().toLowerCase(Locale.ROOT));
        if (debug) {
            for (int i = 0; i < Math.min(samples, d.train().size()); i++) {
                out.print(SampleDebug.describe(d.train().get(i), run.tokenizer(), d.sources().get(i)));
            }
        }
        out.flush();
        return 0;
    }
}
