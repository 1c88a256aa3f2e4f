package ai.tarka.cli.tokenizer;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.cli.progress.Progress;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.train.BpeTrainer;
import ai.tarka.tokenizers.train.BpeTrainerOptions;
import ai.tarka.tokenizers.train.Gpt2BpeFiles;
import ai.tarka.tokenizers.train.TrainedBpe;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tarka tokenizer ...}: encode, decode and train byte-level BPE tokenizers. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Encode, decode and train tokenizers (byte-level BPE: tiktoken, GPT-2 files).",
        subcommands = {TokenizerCommand.Encode.class, TokenizerCommand.Decode.class, TokenizerCommand.Train.class})
public final class TokenizerCommand implements Runnable, StagedCommand {
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

    /** Text from the argument, else {@code --file}, else standard input. */
    static String readText(String text, Path file) throws IOException {
        if (text != null && !text.equals("-")) return text;
        if (file != null) return Files.readString(file, StandardCharsets.UTF_8);
        InputStream in = System.in;
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = "Print the token ids of a text (argument, --file or standard input), space-separated.")
    static final class Encode implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
                description = "A tiktoken rank file (r50k_base/cl100k_base/o200k_base.tiktoken) or a folder with GPT-2 files.")
        Path tokenizer;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the text from FILE.")
        Path file;

        @Option(names = "--json", description = "Print a JSON array instead.")
        boolean json;

        @Option(names = "--no-special", description = "Treat special-token text (e.g. <|endoftext|>) as plain text.")
        boolean noSpecial;

        @Parameters(arity = "0..1", paramLabel = "TEXT", description = "The text ('-' or nothing: standard input).")
        String text;

        @Override
        public Integer call() throws Exception {
            ByteLevelBpe bpe = TokenizerLocator.load(tokenizer);
            String s = readText(text, file);
            int[] ids = noSpecial ? bpe.encodeOrdinary(s) : bpe.encode(s);
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(ids));
            } else {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < ids.length; i++) sb.append(i == 0 ? "" : " ").append(ids[i]);
                System.out.println(sb);
            }
            return 0;
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true, description = "Print the text of token ids.")
    static final class Decode implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
                description = "A tiktoken rank file or a folder with GPT-2 files.")
        Path tokenizer;

        @Parameters(arity = "0..*", paramLabel = "ID", description = "Token ids (none: read them from standard input).")
        List<String> ids = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            ByteLevelBpe bpe = TokenizerLocator.load(tokenizer);
            List<String> words = ids.isEmpty()
                    ? List.of(new String(System.in.readAllBytes(), StandardCharsets.UTF_8).trim().split("[\\s,\\[\\]]+"))
                    : ids;
            int[] out = words.stream().filter(w -> !w.isBlank()).mapToInt(w -> {
                try {
                    return Integer.parseInt(w.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("tokenizer decode: '" + w + "' is not a token id");
                }
            }).toArray();
            System.out.print(bpe.decode(out));
            System.out.println();
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a byte-level BPE tokenizer on a text file; writes vocab.json and merges.txt.")
    static final class Train implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "Training text (UTF-8).")
        Path input;

        @Option(names = "--vocab-size", required = true, description = "Vocabulary size, special tokens and 256 bytes included.")
        int vocabSize;

        @Option(names = "--special", paramLabel = "TOKEN", description = "A special token (repeatable), e.g. <|endoftext|>.")
        List<String> specials = new ArrayList<>();

        @Option(names = "--min-frequency", description = "Stop when the best pair occurs fewer times (default: ${DEFAULT-VALUE}).",
                defaultValue = "1")
        long minFrequency;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder for vocab.json and merges.txt.")
        Path out;

        @Override
        public Integer call() throws Exception {
            BpeTrainerOptions options = BpeTrainerOptions.of(vocabSize).withSpecialTokens(specials).withMinPairFrequency(minFrequency);
            long t0 = System.nanoTime();
            TrainedBpe bpe;
            try (Progress progress = Progress.start("tokenizer train", options.mergeBudget(), "merges")) {
                int[] last = {0};
                bpe = new BpeTrainer(options).train(input, (done, total) -> {
                    progress.step(done - last[0]);
                    last[0] = done;
                });
            }
            Files.createDirectories(out);
            Gpt2BpeFiles.writeVocabJson(bpe, out.resolve("vocab.json"));
            Gpt2BpeFiles.writeMerges(bpe, out.resolve("merges.txt"), false);
            System.out.printf("trained %d tokens (%d merges) on %s in %.1f s; wrote %s and %s%n", bpe.vocabSize(),
                    bpe.merges().size(), input, (System.nanoTime() - t0) / 1e9, out.resolve("vocab.json"), out.resolve("merges.txt"));
            return 0;
        }
    }
}
