package ai.tarka.cli.tokenizer;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.cli.progress.Progress;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.hf.HfTokenizerJsonWriter;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tarka tokenizer ...}: encode, decode and train byte-level BPE tokenizers. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Encode, decode and train tokenizers; render chat templates.",
        subcommands = {TokenizerCommand.Encode.class, TokenizerCommand.Decode.class, TokenizerCommand.Train.class,
                TokenizerCommand.Info.class, TokenizerCommand.Convert.class, TokenizerCommand.ChatTemplateCmd.class})
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
        @Mixin
        TokenizerPathOption tokenizerOption;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the text from FILE.")
        Path file;

        @Option(names = "--json", description = "Print a JSON array instead.")
        boolean json;

        @Option(names = "--no-special", description = "Treat special-token text (e.g. <|endoftext|>) as plain text.")
        boolean noSpecial;

        @Option(names = "--add-special", description = "Add the BOS/EOS (or [CLS]/[SEP]) tokens the tokenizer's configuration "
                + "asks for (never a second BOS when the text starts with one).")
        boolean addSpecial;

        @Parameters(arity = "0..1", paramLabel = "TEXT", description = "The text ('-' or nothing: standard input).")
        String text;

        @Override
        public Integer call() throws Exception {
            TextTokenizer bpe = TokenizerLocator.load(tokenizerOption.path);
            String s = readText(text, file);
            int[] ids = noSpecial ? bpe.encodeOrdinary(s) : bpe.encode(s);
            if (addSpecial) ids = bpe.boundaryTokens().apply(ids);
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
        @Mixin
        TokenizerPathOption tokenizerOption;

        @Parameters(arity = "0..*", paramLabel = "ID", description = "Token ids (none: read them from standard input).")
        List<String> ids = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            TextTokenizer bpe = TokenizerLocator.load(tokenizerOption.path);
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

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print a tokenizer's format, vocabulary size, special/added tokens and pre-tokenizer.")
    static final class Info implements Callable<Integer> {
        @Mixin
        TokenizerPathOption tokenizerOption;

        @Override
        public Integer call() {
            System.out.print(TokenizerInfo.describe(TokenizerLocator.load(tokenizerOption.path)));
            return 0;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Write a byte-level BPE (tiktoken rank file or GPT-2 files) as a Hugging Face tokenizer.json.")
    static final class Convert implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
                description = "A tiktoken rank file or a folder with GPT-2 files.")
        Path tokenizer;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder for tokenizer.json.")
        Path out;

        @Override
        public Integer call() throws Exception {
            TextTokenizer loaded = TokenizerLocator.load(tokenizer);
            // A tokenizer.json is refused rather than rewritten: its normaliser and non-special added tokens would be lost.
            if (!(loaded instanceof ai.tarka.tokenizers.bpe.ByteLevelBpe bpe)) {
                throw new IllegalArgumentException("tokenizer convert: " + tokenizer
                        + " is not a tiktoken or GPT-2 byte-level BPE; only those can be converted to tokenizer.json");
            }
            Files.createDirectories(out);
            Path file = out.resolve("tokenizer.json");
            HfTokenizerJsonWriter.write(bpe, file);
            System.out.printf("wrote %s (%d tokens)%n", file, bpe.vocabularySize());
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a byte-level BPE tokenizer on a text file; writes vocab.json and merges.txt, or tokenizer.json.")
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

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "gpt2",
                description = "gpt2: vocab.json + merges.txt; json: a Hugging Face tokenizer.json (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("gpt2") && !format.equals("json")) {
                throw new IllegalArgumentException("tokenizer train: --format must be gpt2 or json, got '" + format + "'");
            }
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
            String wrote;
            if (format.equals("json")) {
                HfTokenizerJsonWriter.write(bpe, options.preTokenizer(), out.resolve("tokenizer.json"));
                wrote = out.resolve("tokenizer.json").toString();
            } else {
                Gpt2BpeFiles.writeVocabJson(bpe, out.resolve("vocab.json"));
                Gpt2BpeFiles.writeMerges(bpe, out.resolve("merges.txt"), false);
                wrote = out.resolve("vocab.json") + " and " + out.resolve("merges.txt");
            }
            System.out.printf("trained %d tokens (%d merges) on %s in %.1f s; wrote %s%n", bpe.vocabSize(),
                    bpe.merges().size(), input, (System.nanoTime() - t0) / 1e9, wrote);
            return 0;
        }
    }

    @Command(name = "chat-template", mixinStandardHelpOptions = true,
            description = "Render a conversation (JSON list of {role, content}) with a chat template; prints the text.")
    static final class ChatTemplateCmd implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "A Hugging Face tokenizer_config.json holding chat_template.")
        Path config;

        @Option(names = "--builtin", paramLabel = "NAME", description = "A built-in template instead: chatml, llama3 or alpaca.")
        String builtin;

        @Option(names = "--add-generation-prompt", description = "End with the assistant header so a model continues.")
        boolean addGenerationPrompt;

        @Option(names = "--spans", description = "Print JSON with the text, each message's character span and warnings.")
        boolean spans;

        @Parameters(arity = "0..1", paramLabel = "MESSAGES", description = "JSON file of messages ('-' or nothing: standard input).")
        Path messages;

        @Override
        public Integer call() throws Exception {
            if ((config == null) == (builtin == null)) {
                throw new IllegalArgumentException("tokenizer chat-template: give exactly one of --config FILE or --builtin NAME");
            }
            ai.tarka.tokenizers.chat.ChatTemplate template = config != null
                    ? ai.tarka.tokenizers.chat.ChatTemplate.fromTokenizerConfig(config)
                    : ai.tarka.tokenizers.chat.ChatTemplate.builtin(builtin,
                            ai.tarka.tokenizers.chat.ChatTemplate.tokens("bos_token", "<s>", "eos_token", "</s>"), false);
            ObjectMapper json = new ObjectMapper();
            String raw = messages == null || messages.toString().equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(messages);
            com.fasterxml.jackson.databind.JsonNode list = json.readTree(raw);
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException("tokenizer chat-template: messages must be a JSON array of {role, content}");
            }
            List<ai.tarka.tokenizers.chat.ChatMessage> msgs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                com.fasterxml.jackson.databind.JsonNode m = list.get(i);
                if (!m.hasNonNull("role") || !m.has("content")) {
                    throw new IllegalArgumentException("tokenizer chat-template: message " + i + " needs role and content");
                }
                msgs.add(new ai.tarka.tokenizers.chat.ChatMessage(m.get("role").asText(),
                        m.get("content").isNull() ? null : m.get("content").asText()));
            }
            ai.tarka.tokenizers.chat.RenderedChat r = template.render(msgs, addGenerationPrompt);
            for (String w : r.warnings()) System.err.println("tarka: warning: " + w);
            if (spans) {
                System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            } else {
                System.out.print(r.text());
                if (!r.text().endsWith("\n")) System.out.println();
            }
            return 0;
        }
    }
}
