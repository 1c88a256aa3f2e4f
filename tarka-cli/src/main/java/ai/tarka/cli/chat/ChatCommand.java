package ai.tarka.cli.chat;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.cli.generate.ModelTokenizerLocator;
import ai.tarka.inference.KvPrecision;
import ai.tarka.inference.LlamaInference;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.tokenizers.TextTokenizer;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tarka chat}: an interactive conversation with a model in the terminal, answers streamed as they come. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Talk with a model in the terminal, its answers streamed as they come.",
                "History, multi-line input (a trailing \\ or a \"\"\" block), /system, /reset, /params, /help, /exit;",
                "Ctrl-C stops an answer, Ctrl-D leaves."})
public final class ChatCommand implements Callable<Integer>, StagedCommand {
    @Option(names = "--model", required = true, description = "Model: .gguf, llama2.c .bin, safetensors file or directory with config.json.")
    Path model;

    @Option(names = "--tokenizer", description = "Tokenizer (default: the GGUF's own, or one beside the model).")
    Path tokenizer;

    @Option(names = "--template", defaultValue = "auto",
            description = "Chat format: auto (the model's tokenizer_config.json or GGUF chat template, else none), chatml, llama3, alpaca, "
                    + "or none (plain continuation, for base models). Default: ${DEFAULT-VALUE}.")
    String template;

    @Option(names = "--system", description = "System prompt to start with.")
    String system;

    @Option(names = {"--temperature", "-t"}, defaultValue = "0.7", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--top-k", defaultValue = "40", description = "Keep the k most likely tokens, 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--min-p", defaultValue = "0.05", description = "Drop tokens below min-p x the top probability (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = {"--max-tokens", "-n"}, defaultValue = "512", description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--seed", description = "Random seed for every answer (default: a fresh one each answer).")
    Long seed;

    @picocli.CommandLine.Mixin
    ai.tarka.cli.generate.ModelLoadOptions load;

    @Option(names = "--history", description = "History file (default: $TARKA_HOME/chat_history, else ~/.tarka/chat_history).")
    Path history;

    @Option(names = "--plain", description = "Read lines from stdin and write to stdout without terminal features "
            + "(automatic when stdin is not a terminal).")
    boolean plain;

    @Override
    public Stage stage() {
        return Stage.INFER;
    }

    @Override
    public Integer call() throws Exception {
        KvPrecision kv = load.kvPrecision("chat");
        ChatParams params = new ChatParams(temperature, topP, topK, minP, maxTokens, seed);
        Path tokPath = ModelTokenizerLocator.locate(model, tokenizer);
        TextTokenizer tok = ModelTokenizerLocator.load(model, tokenizer);
        try (ai.tarka.cli.generate.ModelLoadOptions.Loaded both = load.load(model); Terminal terminal = openTerminal()) {
            LlamaWeights weights = both.weights();
            PromptFormat format = PromptFormats.choose(template, model, tokPath, tok, weights.config());
            int ctx = load.context(weights);
            LlamaInference m = new LlamaInference(weights, ctx, 64);
            ChatSession session = new ChatSession(m, tok, format, kv, params);
            if (system != null) session.setSystem(system);
            PrintWriter out = terminal.writer();
            out.printf(Locale.ROOT, "tarka chat: %s, template %s, context %d tokens. /help for commands, Ctrl-D to leave.%n",
                    weights.source(), format.name(), ctx);
            out.flush();
            new ChatLoop(session, reader(terminal), terminal).run();
            return 0;
        }
    }

    private Terminal openTerminal() throws IOException {
        boolean tty = System.console() != null && System.console().isTerminal();
        if (plain || !tty) {
            // a dumb terminal over the process's streams, left open when it closes; no echo, as input is not typed
            Terminal t = new DumbTerminal("tarka", Terminal.TYPE_DUMB, new FilterInputStream(System.in) {
                @Override
                public void close() {}
            }, new FilterOutputStream(System.out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            }, StandardCharsets.UTF_8);
            Attributes a = t.getAttributes();
            a.setLocalFlag(Attributes.LocalFlag.ECHO, false);
            t.setAttributes(a);
            return t;
        }
        return TerminalBuilder.builder().system(true).build();
    }

    private LineReader reader(Terminal terminal) throws IOException {
        Path file = history != null ? history : defaultHistory();
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        // the parser must leave quotes and backslashes alone: the loop does its own continuation lines
        DefaultParser parser = new DefaultParser().escapeChars(new char[0]).quoteChars(new char[0]);
        return LineReaderBuilder.builder().terminal(terminal).appName("tarka").parser(parser)
                .variable(LineReader.HISTORY_FILE, file)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
    }

    private static Path defaultHistory() {
        String home = System.getenv("TARKA_HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".tarka");
        return base.resolve("chat_history");
    }

    /** Reads inputs, runs commands and streams answers until /exit or end of input. */
    static final class ChatLoop {
        private final ChatSession session;
        private final LineReader reader;
        private final Terminal terminal;
        private final PrintWriter out;

        ChatLoop(ChatSession session, LineReader reader, Terminal terminal) {
            this.session = session;
            this.reader = reader;
            this.terminal = terminal;
            this.out = terminal.writer();
        }

        void run() {
            MultiLineInput input = new MultiLineInput();
            while (true) {
                String line;
                try {
                    line = reader.readLine(input.pending() ? "... " : ">>> ");
                } catch (UserInterruptException e) {
                    input.clear();
                    continue;
                } catch (EndOfFileException e) {
                    out.println();
                    out.flush();
                    return;
                }
                String text = input.accept(line);
                if (text == null) continue;
                if (text.isBlank()) continue;
                try {
                    if (!handle(SlashCommand.parse(text))) return;
                } catch (IllegalArgumentException e) {
                    out.println("error: " + e.getMessage());
                }
                out.flush();
            }
        }

        /** Runs one input; false when the session should end. */
        private boolean handle(SlashCommand c) {
            switch (c) {
                case SlashCommand.Exit x -> {
                    return false;
                }
                case SlashCommand.Help h -> out.println(SlashCommand.HELP);
                case SlashCommand.Reset r -> {
                    session.reset();
                    out.println("(conversation cleared)");
                }
                case SlashCommand.SystemPrompt s -> {
                    if (s.text().isEmpty()) out.println(session.system().isEmpty() ? "(no system prompt)" : session.system());
                    else {
                        session.setSystem(s.text());
                        out.println("(system prompt set)");
                    }
                }
                case SlashCommand.Params p -> out.println(p.assignments().isEmpty()
                        ? session.params().describe() : session.setParams(p.assignments()).describe());
                case SlashCommand.Message m -> answer(m.text());
            }
            return true;
        }

        private void answer(String text) {
            AtomicBoolean cancel = new AtomicBoolean();
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> cancel.set(true));
            try {
                ChatSession.Reply r = session.reply(text, piece -> {
                    out.print(piece);
                    out.flush();
                }, cancel);
                out.println();
                if (r.finish() == ChatSession.Finish.CANCELLED) out.println("(stopped)");
                else if (r.finish() == ChatSession.Finish.CONTEXT_FULL) out.println("(context full: /reset to start over)");
            } finally {
                terminal.handle(Terminal.Signal.INT, previous);
            }
        }
    }
}
