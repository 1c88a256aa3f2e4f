package ai.tarka.tokenizers.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.tarka.common.SharedData;

/**
 * Qwen3's real chat template (shared data). The expected strings were derived by reading the template: the system
 * message first, users as {@code <|im_start|>user\n...<|im_end|>\n}, and the assistant turn after the last user
 * query, being the last message, gets an empty {@code <think>} block; earlier assistant turns lose theirs.
 */
class Qwen3ChatTemplateTest {

    private static final ChatTemplate QWEN3 =
            ChatTemplate.fromTokenizerConfig(SharedData.resolve("qwen3-tokenizer/tokenizer_config.json"));

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("You are a helpful assistant."),
            ChatMessage.user("What is 2+2?"),
            ChatMessage.assistant("2+2 equals 4."));

    @Test
    void readsSpecialTokensFromTheConfig() {
        assertThat(QWEN3.specialTokens()).containsEntry("eos_token", "<|im_end|>").containsEntry("pad_token", "<|endoftext|>")
                .doesNotContainKey("bos_token");
        assertThat(QWEN3.addBosToken()).isFalse();
    }

    @Test
    void systemUserAssistantWithoutGenerationPrompt() {
        RenderedChat r = QWEN3.render(CONVERSATION, false);
        assertThat(r.text()).isEqualTo("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n\n</think>\n\n2+2 equals 4.<|im_end|>\n");
        assertThat(r.warnings()).isEmpty();
        assertSpansAreContents(r, CONVERSATION);
        assertThat(r.spans()).extracting(MessageSpan::start).containsExactly(19, 75, 139);
    }

    @Test
    void withGenerationPromptAfterTheLastUserTurn() {
        List<ChatMessage> msgs = List.of(CONVERSATION.get(0), CONVERSATION.get(1), CONVERSATION.get(2), ChatMessage.user("And 3+3?"));
        RenderedChat r = QWEN3.render(msgs, true);
        assertThat(r.text()).isEqualTo("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n2+2 equals 4.<|im_end|>\n"
                + "<|im_start|>user\nAnd 3+3?<|im_end|>\n"
                + "<|im_start|>assistant\n");
        assertSpansAreContents(r, msgs);
    }

    @Test
    void enableThinkingFalseAddsAnEmptyThinkBlockToTheGenerationPrompt() {
        RenderedChat r = QWEN3.render(List.of(ChatMessage.user("Hi")), true, null, Map.of("enable_thinking", false));
        assertThat(r.text()).isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @Test
    void earlierTurnsLoseTheirReasoningAndTheSpanCoversTheAnswer() {
        List<ChatMessage> msgs = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("<think>\nhmm\n</think>\n\nHello!"),
                ChatMessage.user("Bye"), ChatMessage.assistant("<think>\nok\n</think>\n\nBye!"));
        RenderedChat r = QWEN3.render(msgs, false);
        assertThat(r.text()).isEqualTo("<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello!<|im_end|>\n"
                + "<|im_start|>user\nBye<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\nok\n</think>\n\nBye!<|im_end|>\n");
        assertThat(r.spans()).hasSize(4);
        assertThat(slice(r, 1)).isEqualTo("Hello!");
        assertThat(slice(r, 3)).isEqualTo("<think>\nok\n</think>\n\nBye!");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void explicitReasoningContentIsUsedAndANullOneIsIgnored() {
        Map<String, Object> nullReasoning = new java.util.HashMap<>();
        nullReasoning.put("reasoning_content", null);
        List<ChatMessage> msgs = List.of(ChatMessage.user("Q"), new ChatMessage("assistant", "A", Map.of("reasoning_content", "think hard")));
        assertThat(QWEN3.render(msgs, false).text())
                .isEqualTo("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\nthink hard\n</think>\n\nA<|im_end|>\n");
        List<ChatMessage> withNull = List.of(ChatMessage.user("Q"), new ChatMessage("assistant", "A", nullReasoning));
        assertThat(QWEN3.render(withNull, false).text())
                .isEqualTo("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nA<|im_end|>\n");
    }

    @Test
    void toolsAndToolCallsUsePythonJsonSpacing() {
        Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "get_weather"));
        Map<String, Object> call = Map.of("type", "function", "function", Map.of("name", "get_weather", "arguments", Map.of("city", "Paris")));
        List<ChatMessage> msgs = List.of(ChatMessage.system("Sys"), ChatMessage.user("Weather in Paris?"),
                new ChatMessage("assistant", "", Map.of("tool_calls", List.of(call))), new ChatMessage("tool", "sunny"));
        RenderedChat r = QWEN3.render(msgs, true, List.of(tool), Map.of());
        String toolJson = r.text().substring(r.text().indexOf("<tools>\n") + 8, r.text().indexOf("\n</tools>"));
        assertThat(toolJson).isIn("{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}",
                "{\"function\": {\"name\": \"get_weather\"}, \"type\": \"function\"}");
        assertThat(r.text()).startsWith("<|im_start|>system\nSys\n\n# Tools\n\n")
                .endsWith("<|im_start|>user\nWeather in Paris?<|im_end|>\n"
                        + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call><|im_end|>\n"
                        + "<|im_start|>user\n<tool_response>\nsunny\n</tool_response><|im_end|>\n"
                        + "<|im_start|>assistant\n");
        assertSpansAreContents(r, msgs);
    }

    private static String slice(RenderedChat r, int index) {
        MessageSpan s = r.spans().stream().filter(x -> x.index() == index).findFirst().orElseThrow();
        return r.text().substring(s.start(), s.end());
    }

    static void assertSpansAreContents(RenderedChat r, List<ChatMessage> msgs) {
        assertThat(r.spans()).extracting(MessageSpan::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, msgs.size()).boxed().toList());
        for (MessageSpan s : r.spans()) {
            assertThat(s.role()).isEqualTo(msgs.get(s.index()).role());
            assertThat(r.text().substring(s.start(), s.end())).isEqualTo(msgs.get(s.index()).content());
        }
    }
}
