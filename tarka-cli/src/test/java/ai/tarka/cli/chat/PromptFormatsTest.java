package ai.tarka.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.models.ModelConfig;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.tokenizers.chat.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFormatsTest {
    @TempDir
    Path dir;

    static final Path GGUF = SharedData.resolve("stories260K/stories260K.gguf");
    static final Path TOK = SharedData.resolve("stories260K/tok512.bin");

    static ModelConfig config() {
        try (LlamaWeights w = ModelLoader.load(GGUF, 0)) {
            return w.config();
        }
    }

    @Test
    void autoTakesTheTokenizerConfigTemplateElsePlainContinuation() throws Exception {
        TextTokenizer tok = TokenizerLoader.load(TOK);
        ModelConfig c = config();
        assertThat(PromptFormats.choose("auto", GGUF, TOK, tok, c).name()).isEqualTo("none");

        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"eos_token": {"content": "<END>"}, "chat_template": "{% for m in messages %}[{{ m.role }}] {{ m.content }}\\n{% endfor %}{% if add_generation_prompt %}{{ '[assistant] ' }}{% endif %}"}
                """);
        Path model = dir.resolve("model.gguf");
        PromptFormat f = PromptFormats.choose("auto", model, TOK, tok, c);
        assertThat(f.render(List.of(ChatMessage.user("hi")))).isEqualTo("[user] hi\n[assistant] ");
        assertThat(f.stopStrings()).contains("<END>");

        PromptFormat llama3 = PromptFormats.choose("LLAMA3", model, TOK, tok, c);
        assertThat(llama3.render(List.of(ChatMessage.user(" hi ")))).endsWith("<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(llama3.stopStrings()).contains("<|eot_id|>", "<END>");
        assertThatThrownBy(() -> PromptFormats.choose("zephyr", model, TOK, tok, c)).hasMessageContaining("got 'zephyr'");
    }
}
