package ai.tarka.tokenizers.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateErrorsTest {

    private static final String ALTERNATING = """
            {%- for message in messages -%}
            {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
            {{- raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') -}}
            {%- endif -%}
            {{- bos_token + message['role'] + ': ' + message['content'] + eos_token -}}
            {%- endfor -%}
            """;

    @Test
    void raiseExceptionSurfacesWithTheTemplatesMessageAndName() {
        ChatTemplate t = ChatTemplate.of("alternating", ALTERNATING, ChatTemplate.tokens("bos_token", "<s>", "eos_token", "</s>"), false);
        assertThat(t.render(List.of(ChatMessage.user("a"), ChatMessage.assistant("b")), false).text()).isEqualTo("<s>user: a</s><s>assistant: b</s>");
        assertThatThrownBy(() -> t.render(List.of(ChatMessage.assistant("b")), false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("'alternating'")
                .hasMessageContaining("Conversation roles must alternate user/assistant/user/assistant/...");
    }

    @Test
    void doubleBosWarningWhenTheTemplateEmitsBosAndTheTokenizerAddsIt() {
        ChatTemplate adds = ChatTemplate.of("alternating", ALTERNATING, ChatTemplate.tokens("bos_token", "<s>", "eos_token", "</s>"), true);
        assertThat(adds.render(List.of(ChatMessage.user("a")), false).warnings()).singleElement().asString().contains("double BOS", "<s>");
        ChatTemplate doesNot = ChatTemplate.of("alternating", ALTERNATING, ChatTemplate.tokens("bos_token", "<s>", "eos_token", "</s>"), false);
        assertThat(doesNot.render(List.of(ChatMessage.user("a")), false).warnings()).isEmpty();
    }

    @Test
    void malformedTemplateIsAClearErrorNamingTheTemplate() {
        ChatTemplate broken = ChatTemplate.of("broken-one", "{{ messages[0].content + }}", ChatTemplate.tokens(), false);
        assertThatThrownBy(() -> broken.render(List.of(ChatMessage.user("x")), false))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("'broken-one'").hasMessageContaining("failed to render");
        ChatTemplate unclosed = ChatTemplate.of("unclosed", "{% for m in messages %}{{ m.role }}", ChatTemplate.tokens(), false);
        assertThatThrownBy(() -> unclosed.render(List.of(ChatMessage.user("x")), false))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("'unclosed'").hasMessageContaining("endfor");
        ChatTemplate stray = ChatTemplate.of("stray", "{% endif %}", ChatTemplate.tokens(), false);
        assertThatThrownBy(() -> stray.render(List.of(ChatMessage.user("x")), false))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("'stray'");
    }

    @Test
    void namedTemplateListPicksDefaultAndAddedTokenObjectsAreRead(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("tokenizer_config.json");
        Files.writeString(cfg, """
                {"add_bos_token": true,
                 "bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false},
                 "eos_token": "</s>",
                 "chat_template": [
                   {"name": "tool_use", "template": "TOOLS"},
                   {"name": "default", "template": "{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{{ eos_token }}{% endfor %}"}
                 ]}
                """);
        ChatTemplate t = ChatTemplate.fromTokenizerConfig(cfg);
        assertThat(t.name()).endsWith("#default");
        assertThat(t.specialTokens()).containsEntry("bos_token", "<s>").containsEntry("eos_token", "</s>");
        RenderedChat r = t.render(List.of(ChatMessage.user("hi"), ChatMessage.assistant("yo")), false);
        assertThat(r.text()).isEqualTo("<s>[user]hi</s>[assistant]yo</s>");
        assertThat(r.warnings()).singleElement().asString().contains("double BOS");
        assertThat(ChatTemplate.fromTokenizerConfig(cfg, "tool_use").render(List.of(), false).text()).isEqualTo("TOOLS");
        assertThatThrownBy(() -> ChatTemplate.fromTokenizerConfig(cfg, "rag"))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("rag").hasMessageContaining("tool_use");
    }

    @Test
    void configWithoutATemplatePointsAtTheBuiltins(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("tokenizer_config.json");
        Files.writeString(cfg, "{\"eos_token\": \"</s>\"}");
        assertThatThrownBy(() -> ChatTemplate.fromTokenizerConfig(cfg))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("no chat_template").hasMessageContaining("chatml");
    }
}
