package ai.tarka.tokenizers.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BuiltinChatTemplatesTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("Be brief."), ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"));

    @Test
    void chatml() {
        ChatTemplate t = ChatTemplate.builtin("chatml", ChatTemplate.tokens("eos_token", "<|im_end|>"), false);
        RenderedChat r = t.render(CONVERSATION, false);
        assertThat(r.text()).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello!<|im_end|>\n");
        assertThat(r.warnings()).isEmpty();
        Qwen3ChatTemplateTest.assertSpansAreContents(r, CONVERSATION);
        assertThat(t.render(CONVERSATION.subList(0, 2), true).text())
                .isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void llama3() {
        ChatTemplate t = ChatTemplate.builtin("llama3",
                ChatTemplate.tokens("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>"), false);
        RenderedChat r = t.render(CONVERSATION.subList(0, 2), true);
        assertThat(r.text()).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void llama3StripsContentsAndTheSpansCoverTheStrippedContent() {
        ChatTemplate t = ChatTemplate.builtin("llama3",
                ChatTemplate.tokens("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>"), false);
        List<ChatMessage> msgs = List.of(ChatMessage.user("  user  "), ChatMessage.assistant("\nassistant\n"));
        RenderedChat r = t.render(msgs, false);
        assertThat(r.text()).isEqualTo("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nuser<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nassistant<|eot_id|>");
        assertThat(r.spans()).hasSize(2);
        MessageSpan user = r.spans().get(0), assistant = r.spans().get(1);
        assertThat(r.text().substring(user.start(), user.end())).isEqualTo("user");
        assertThat(user.start()).isEqualTo("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n".length());
        assertThat(r.text().substring(assistant.start(), assistant.end())).isEqualTo("assistant");
        assertThat(assistant.start()).isGreaterThan(r.text().indexOf("<|start_header_id|>assistant"));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void llama3WithATokenizerThatAddsBosWarnsOfDoubleBos() {
        ChatTemplate t = ChatTemplate.builtin("llama3",
                ChatTemplate.tokens("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>"), true);
        RenderedChat r = t.render(CONVERSATION, false);
        assertThat(r.text()).startsWith("<|begin_of_text|>");
        assertThat(r.warnings()).hasSize(1);
        assertThat(r.warnings().get(0)).contains("double BOS", "<|begin_of_text|>", "llama3");
    }

    @Test
    void alpaca() {
        ChatTemplate t = ChatTemplate.builtin("alpaca", ChatTemplate.tokens("eos_token", "</s>"), false);
        RenderedChat r = t.render(List.of(ChatMessage.system("Below is an instruction."), ChatMessage.user("Name a colour."),
                ChatMessage.assistant("Blue.")), false);
        assertThat(r.text()).isEqualTo("Below is an instruction.\n\n### Instruction:\nName a colour.\n\n### Response:\nBlue.</s>\n\n");
        assertThat(r.warnings()).isEmpty();
        assertThat(t.render(List.of(ChatMessage.user("Name a colour.")), true).text())
                .isEqualTo("### Instruction:\nName a colour.\n\n### Response:\n");
    }

    @Test
    void alpacaRefusesUnknownRoles() {
        ChatTemplate t = ChatTemplate.builtin("alpaca", ChatTemplate.tokens("eos_token", "</s>"), false);
        assertThatThrownBy(() -> t.render(List.of(new ChatMessage("tool", "x")), false))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("alpaca").hasMessageContaining("alpaca has no role tool");
    }

    @Test
    void alpacaWithoutAnEosTokenWarnsThatTheLastAssistantTurnIsUnterminated() {
        ChatTemplate t = ChatTemplate.builtin("alpaca", ChatTemplate.tokens(), false);
        RenderedChat r = t.render(List.of(ChatMessage.user("Q"), ChatMessage.assistant("A")), false);
        assertThat(r.text()).isEqualTo("### Instruction:\nQ\n\n### Response:\nA\n\n");
        assertThat(r.warnings()).singleElement().asString().contains("last assistant turn", "EOS");
    }

    @Test
    void unknownBuiltinIsRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> ChatTemplate.builtin("vicuna", ChatTemplate.tokens(), false))
                .hasMessageContaining("vicuna").hasMessageContaining("chatml");
    }

    static Stream<Long> seeds() { return Stream.of(1L, 7L, 42L); }

    /** Random contents full of characters that are special somewhere (regex, Jinja, JSON, whitespace). */
    @ParameterizedTest
    @MethodSource("seeds")
    void chatmlSpansOfRandomConversations(long seed) {
        Random rnd = new Random(seed);
        String alphabet = "ab |.*\\{}%#'\"\n\t<>/é漢 ";
        List<ChatMessage> msgs = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        int n = 1 + rnd.nextInt(7);
        String[] roles = {"system", "user", "assistant", "tool"};
        for (int i = 0; i < n; i++) {
            StringBuilder c = new StringBuilder();
            int len = rnd.nextInt(13);
            for (int k = 0; k < len; k++) c.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            String role = roles[rnd.nextInt(roles.length)];
            msgs.add(new ChatMessage(role, c.toString()));
            expected.append("<|im_start|>").append(role).append('\n').append(c).append("<|im_end|>\n");
        }
        RenderedChat r = ChatTemplate.builtin("chatml", ChatTemplate.tokens(), false).render(msgs, false);
        assertThat(r.text()).isEqualTo(expected.toString());
        Qwen3ChatTemplateTest.assertSpansAreContents(r, msgs);
    }
}
