package ai.tarka.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.inference.KvPrecision;
import ai.tarka.inference.LlamaInference;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.tokenizers.chat.ChatMessage;
import ai.tarka.tokenizers.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ChatSession} on stories260K, a base model, with plain continuation (greedy unless a test says otherwise). */
class ChatSessionTest {
    static LlamaWeights weights;
    static TextTokenizer tok;
    static LlamaInference model;

    @BeforeAll
    static void load() {
        weights = ModelLoader.load(SharedData.resolve("stories260K/stories260K.gguf"), 0);
        tok = TokenizerLoader.load(SharedData.resolve("stories260K/tok512.bin"));
        model = new LlamaInference(weights, weights.config().maxPositions(), 64);
    }

    @AfterAll
    static void close() {
        weights.close();
    }

    static ChatSession session(int maxTokens) {
        return new ChatSession(model, tok, PromptFormat.plain(), KvPrecision.F32, new ChatParams(0, 1, 0, 0, maxTokens, null));
    }

    @Test
    void reusingTheCachedPrefixGivesTheSameTokensAsAFreshPrefill() {
        ChatSession reused = session(24);
        ChatSession.Reply a1 = reused.reply("Once upon a time", null, null);
        ChatSession.Reply a2 = reused.reply("Lily", null, null);
        assertThat(a1.reusedTokens()).isZero();
        // the second prompt starts with the first prompt and the answer's tokens that were fed back
        assertThat(a2.reusedTokens()).isGreaterThanOrEqualTo(a1.promptTokens()).isLessThan(a2.promptTokens());

        ChatSession fresh = session(24);
        ChatSession.Reply b1 = fresh.reply("Once upon a time", null, null);
        fresh.dropCache();
        ChatSession.Reply b2 = fresh.reply("Lily", null, null);
        assertThat(b1.tokens()).isEqualTo(a1.tokens());
        assertThat(b2.reusedTokens()).isZero();
        assertThat(b2.promptTokens()).isEqualTo(a2.promptTokens());
        assertThat(b2.tokens()).hasSize(24).isEqualTo(a2.tokens());
        assertThat(b2.text()).isEqualTo(a2.text());
    }

    @Test
    void textIsStreamedPieceByPieceAndKeptAsTheAssistantTurn() {
        ChatSession s = session(16);
        List<String> pieces = new ArrayList<>();
        ChatSession.Reply r = s.reply("Once upon a time", pieces::add, new AtomicBoolean());
        assertThat(pieces.size()).isGreaterThan(3);
        assertThat(String.join("", pieces)).isEqualTo(r.text());
        assertThat(r.text()).isNotBlank();
        assertThat(s.messages()).containsExactly(ChatMessage.user("Once upon a time"), ChatMessage.assistant(r.text()));
    }

    @Test
    void cancellationStopsBeforeTheNextToken() {
        ChatSession s = session(200);
        AtomicBoolean cancel = new AtomicBoolean();
        List<String> pieces = new ArrayList<>();
        ChatSession.Reply r = s.reply("Once upon a time", p -> {
            pieces.add(p);
            cancel.set(true);
        }, cancel);
        assertThat(r.finish()).isEqualTo(ChatSession.Finish.CANCELLED);
        assertThat(pieces).hasSize(1);
        assertThat(r.tokens()).hasSizeLessThanOrEqualTo(2);
        assertThat(s.messages()).hasSize(2);

        AtomicBoolean already = new AtomicBoolean(true);
        ChatSession.Reply none = s.reply("The end", null, already);
        assertThat(none.tokens()).isEmpty();
        assertThat(none.finish()).isEqualTo(ChatSession.Finish.CANCELLED);
    }

    @Test
    void resetForgetsTheTurnsButKeepsTheSystemPrompt() {
        ChatSession s = session(4);
        s.setSystem("A story.");
        s.reply("Once", null, null);
        assertThat(s.messages()).hasSize(3).first().isEqualTo(ChatMessage.system("A story."));
        s.reset();
        assertThat(s.messages()).containsExactly(ChatMessage.system("A story."));
        ChatSession.Reply r = s.reply("Once", null, null);
        // after /reset the conversation is again just system + "Once": its tokens are all in the cache but the last
        assertThat(r.reusedTokens()).isEqualTo(r.promptTokens() - 1);
        s.setSystem("");
        assertThat(s.messages()).hasSize(2);
    }

    @Test
    void paramsChangeAllOrNothing() {
        ChatSession s = session(8);
        assertThat(s.setParams(Map.of("temperature", "0.5", "max_tokens", "3")).maxTokens()).isEqualTo(3);
        java.util.LinkedHashMap<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("temperature", "0.9");
        bad.put("top_p", "7");
        assertThatThrownBy(() -> s.setParams(bad)).hasMessageContaining("top_p must be in (0, 1]");
        assertThat(s.params().temperature()).isEqualTo(0.5f);
        assertThat(s.reply("Once", null, null).tokens()).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void aConversationPastTheContextIsRefusedAndDropped() {
        LlamaInference small = new LlamaInference(weights, 16, 8);
        ChatSession s = new ChatSession(small, tok, PromptFormat.plain(), KvPrecision.F32, new ChatParams(0, 1, 0, 0, 4, null));
        assertThatThrownBy(() -> s.reply("Once upon a time there was a little girl named Lily who loved to play outside", null, null))
                .hasMessageContaining("context holds 16").hasMessageContaining("/reset");
        assertThat(s.messages()).isEmpty();
        ChatSession.Reply r = s.reply("Once", null, null);
        assertThat(r.tokens()).isNotEmpty();
    }

    @Test
    void aChatTemplateRendersRolesAndEndsAnswersAtItsMarker() {
        ChatTemplate chatml = ChatTemplate.builtin("chatml", ChatTemplate.tokens("bos_token", "<s>", "eos_token", "</s>"), false);
        PromptFormat f = PromptFormat.template(chatml);
        assertThat(f.stopStrings()).contains("<|im_end|>", "</s>");
        ChatSession s = new ChatSession(model, tok, f, KvPrecision.F32, new ChatParams(0, 1, 0, 0, 8, null));
        s.setSystem("Be brief.");
        s.reply("Hi", null, null);
        String rendered = tok.decode(s.promptTokens());
        assertThat(rendered).contains("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void plainContinuationJoinsTypedTurnsWithASpaceAndTheModelsVerbatim() {
        PromptFormat f = PromptFormat.plain();
        assertThat(f.render(List.of(ChatMessage.user("Once upon a time"), ChatMessage.assistant(", a cat"), ChatMessage.user("Then"))))
                .isEqualTo("Once upon a time, a cat Then");
        assertThat(f.render(List.of(ChatMessage.user("A "), ChatMessage.assistant("b\n"), ChatMessage.user("c"))))
                .isEqualTo("A b\nc");
    }
}
