package ai.tarka.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SlashCommandTest {
    @Test
    void plainTextAndEscapedSlashAreMessages() {
        assertThat(SlashCommand.parse("hello there")).isEqualTo(new SlashCommand.Message("hello there"));
        assertThat(SlashCommand.parse("//etc/hosts is a file")).isEqualTo(new SlashCommand.Message("/etc/hosts is a file"));
    }

    @Test
    void commandsWithTheirArguments() {
        assertThat(SlashCommand.parse("/system You are terse.  ")).isEqualTo(new SlashCommand.SystemPrompt("You are terse."));
        assertThat(SlashCommand.parse("/system")).isEqualTo(new SlashCommand.SystemPrompt(""));
        assertThat(SlashCommand.parse("/reset")).isEqualTo(new SlashCommand.Reset());
        assertThat(SlashCommand.parse("/HELP")).isEqualTo(new SlashCommand.Help());
        assertThat(SlashCommand.parse("/exit")).isEqualTo(new SlashCommand.Exit());
        assertThat(SlashCommand.parse("/params")).isEqualTo(new SlashCommand.Params(Map.of()));
        SlashCommand.Params p = (SlashCommand.Params) SlashCommand.parse("/params temperature=0.7  top_k=20");
        assertThat(p.assignments()).containsExactly(Map.entry("temperature", "0.7"), Map.entry("top_k", "20"));
    }

    @Test
    void malformedCommandsNameTheProblem() {
        assertThatThrownBy(() -> SlashCommand.parse("/frobnicate now")).hasMessageContaining("unknown command '/frobnicate'");
        assertThatThrownBy(() -> SlashCommand.parse("/reset everything")).hasMessageContaining("/reset takes no arguments");
        assertThatThrownBy(() -> SlashCommand.parse("/params temperature")).hasMessageContaining("'temperature' is not NAME=VALUE");
        assertThatThrownBy(() -> SlashCommand.parse("/params =3")).hasMessageContaining("'=3' is not NAME=VALUE");
    }
}
