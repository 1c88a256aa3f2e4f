package ai.tarka.cli.data;

import ai.tarka.cli.progress.Progress;
import ai.tarka.data.download.ShakespeareSource;
import ai.tarka.data.prepare.DataPreparer;
import ai.tarka.data.prepare.InputFormat;
import ai.tarka.data.prepare.PrepareOptions;
import ai.tarka.data.prepare.PrepareSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tarka data prepare}: text / JSONL → train.bin, val.bin, meta.json. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Tokenize text and JSONL files (or folders of them) into token shards: train.bin and val.bin "
                + "(uint16 when the vocabulary fits, else uint32) and meta.json.",
                "A text file is one document unless --split-lines or --separator is given; a JSONL line is one document "
                + "(its --field). The tokenizer's EOS follows each document. A single-document corpus is split by tokens "
                + "(the last --val-fraction of them), otherwise every (1/f)-th document goes to validation."})
final class PrepareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "0..*", description = "Text or JSONL files, or folders of them.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "A known dataset instead of INPUT: 'shakespeare' (Tiny Shakespeare: shared data, else the cache, "
                    + "else downloaded once into ~/.cache/tarka/datasets, or $TARKA_CACHE/datasets).")
    String dataset;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--tokenizer", required = true, paramLabel = "PATH|char",
            description = "'char' for a character-level vocabulary built from the corpus (saved as DIR/tokenizer.json), "
                    + "or any tokenizer path 'tarka tokenizer' reads (tokenizer.json, GGUF, tiktoken, GPT-2 folder, tokenizer.bin).")
    String tokenizer;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "auto|text|jsonl",
            description = "Input format; auto: .jsonl/.json/.ndjson files are JSONL, others text (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--field", defaultValue = "text", paramLabel = "NAME", description = "JSONL field with the text (default: ${DEFAULT-VALUE}).")
    String field;

    @Option(names = "--split-lines", description = "Text files: every non-empty line is a document.")
    boolean splitLines;

    @Option(names = "--separator", paramLabel = "TEXT",
            description = "Text files: documents are separated by TEXT (Java escapes such as \\n are understood).")
    String separator;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F", description = "Validation share (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--shard-tokens", defaultValue = "1073741824", paramLabel = "N",
            description = "Start a new numbered shard after N tokens (default: ${DEFAULT-VALUE}).")
    long shardTokens;

    @Option(names = "--threads", paramLabel = "N", description = "Tokenizer threads (default: the number of cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        List<Path> in = new ArrayList<>(inputs);
        if (dataset != null) {
            if (!dataset.equalsIgnoreCase("shakespeare") && !dataset.equalsIgnoreCase("tinyshakespeare")) {
                throw new IllegalArgumentException("data prepare: unknown --dataset '" + dataset + "' (known: shakespeare)");
            }
            in.add(ShakespeareSource.locate(msg -> System.err.println(msg)));
        }
        if (in.isEmpty()) throw new IllegalArgumentException("data prepare: give INPUT files/folders or --dataset");
        String createdBy = spec.root().versionProvider() != null ? spec.root().versionProvider().getVersion()[0] : "tarka";
        PrepareOptions options = new PrepareOptions(in, out, tokenizer.equals("char") ? null : Path.of(tokenizer),
                inputFormat(), splitLines,
                separator == null ? null : separator.translateEscapes(), field, valFraction, shardTokens,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads, createdBy);
        ProgressListener progress = new ProgressListener();
        PrepareSummary summary;
        try {
            summary = DataPreparer.prepare(options, progress);
        } finally {
            progress.end(); // a failure leaves the bar closed before the error line
        }
        System.out.print(summary.describe());
        return 0;
    }

    private InputFormat inputFormat() {
        for (InputFormat f : InputFormat.values()) if (f.name().equalsIgnoreCase(format)) return f;
        throw new IllegalArgumentException("data prepare: --format '" + format + "' is not one of auto, text, jsonl");
    }

    /** Shows each pass (vocabulary, tokenize) as a progress bar over input bytes. */
    private static final class ProgressListener implements DataPreparer.Listener {
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
