package ai.tarka.cli.chat;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One line typed at the chat prompt: a message for the model or one of the {@code /} commands. */
public sealed interface SlashCommand {
    /** Text for the model ({@code //text} sends {@code /text}). */
    record Message(String text) implements SlashCommand {}

    /** {@code /system TEXT} sets the system prompt; {@code /system} alone shows it. */
    record SystemPrompt(String text) implements SlashCommand {}

    /** {@code /reset}: forget the conversation (the system prompt stays). */
    record Reset() implements SlashCommand {}

    /** {@code /params [key=value ...]}: show the sampling settings, or change some. */
    record Params(Map<String, String> assignments) implements SlashCommand {
        public Params {
            assignments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
        }
    }

    record Help() implements SlashCommand {}

    record Exit() implements SlashCommand {}

    String HELP = """
            /system TEXT        set the system prompt (/system alone shows it)
            /reset              start a new conversation (keeps the system prompt)
            /params [k=v ...]   show or set temperature, top_p, top_k, min_p, max_tokens, seed (seed=random)
            /help               this list
            /exit               leave (also Ctrl-D)
            A line ending in \\ continues on the next line; \"\"\" starts and ends a multi-line block.
            Ctrl-C stops an answer; at the prompt it clears the line. //text sends /text.""";

    /** Parses one complete input; throws {@link IllegalArgumentException} naming the command for a malformed one. */
    static SlashCommand parse(String input) {
        if (!input.startsWith("/") || input.startsWith("//")) return new Message(input.startsWith("//") ? input.substring(1) : input);
        String body = input.substring(1);
        int space = 0;
        while (space < body.length() && !Character.isWhitespace(body.charAt(space))) space++;
        String name = body.substring(0, space).toLowerCase(Locale.ROOT);
        String rest = body.substring(space).strip();
        return switch (name) {
            case "system" -> new SystemPrompt(rest);
            case "reset" -> noArguments(name, rest, new Reset());
            case "help", "?" -> new Help();
            case "exit", "quit", "bye" -> noArguments(name, rest, new Exit());
            case "params" -> new Params(assignments(rest));
            default -> throw new IllegalArgumentException("unknown command '/" + name + "'; /help lists the commands");
        };
    }

    private static SlashCommand noArguments(String name, String rest, SlashCommand c) {
        if (!rest.isEmpty()) throw new IllegalArgumentException("/" + name + " takes no arguments, got '" + rest + "'");
        return c;
    }

    private static Map<String, String> assignments(String rest) {
        Map<String, String> m = new LinkedHashMap<>();
        if (rest.isEmpty()) return m;
        for (String part : rest.split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1)
                throw new IllegalArgumentException("/params: '" + part + "' is not NAME=VALUE (e.g. /params temperature=0.7)");
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return m;
    }
}
