package ai.tarka.finetune.data;

import java.util.List;
import java.util.Locale;

/** How a dataset's records become training examples; names as Axolotl spells them, with common aliases. */
public enum DatasetType {
    /** {@code instruction}, optional {@code input} and {@code system}, {@code output}: one user and one assistant turn. */
    ALPACA("alpaca"),
    /** {@code conversations}: a list of {@code {from, value}} turns ({@code human}/{@code gpt}/{@code system}...). */
    SHAREGPT("sharegpt"),
    /** OpenAI {@code messages}: a list of {@code {role, content}} turns. */
    MESSAGES("chat_template", "messages", "openai"),
    /** {@code prompt} and {@code completion}: the completion is trained. */
    PROMPT_COMPLETION("prompt_completion", "input_output"),
    /** {@code text}: every token is trained. */
    TEXT("completion", "text", "pretrain");

    private final List<String> names;

    DatasetType(String... names) {
        this.names = List.of(names);
    }

    public String configName() {
        return names.get(0);
    }

    public static DatasetType parse(String name, String where) {
        String n = name.toLowerCase(Locale.ROOT).strip();
        for (DatasetType t : values()) if (t.names.contains(n)) return t;
        throw new DatasetException(where + ": unknown dataset type '" + name + "'; known: alpaca, sharegpt, chat_template "
                + "(messages, openai), prompt_completion, completion (text)");
    }
}
