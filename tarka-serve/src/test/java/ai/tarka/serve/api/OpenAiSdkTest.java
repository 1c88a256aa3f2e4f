package ai.tarka.serve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.serve.TarkaServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK talks to {@code tarka serve}. */
class OpenAiSdkTest {
    static TarkaServer server;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = Stories260K.start();
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("unused")
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static ChatCompletionCreateParams chat(long maxTokens) {
        return ChatCompletionCreateParams.builder().model("stories260K").addSystemMessage("A story.")
                .addUserMessage("Once upon a time").maxCompletionTokens(maxTokens).temperature(0.0).build();
    }

    @Test
    void chatCompletion() {
        ChatCompletion c = client.chat().completions().create(chat(16));
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().getFirst().message().content().orElseThrow()).isNotBlank();
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(16);
        assertThat(c.model()).isEqualTo("stories260K");
    }

    @Test
    void streamingChatGivesTheSameTextAsNonStreaming() {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(16))) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        String plain = client.chat().completions().create(chat(16)).choices().getFirst().message().content().orElseThrow();
        assertThat(text.toString()).isEqualTo(plain);
    }

    @Test
    void completionWithLogprobs() {
        Completion c = client.completions().create(CompletionCreateParams.builder().model("stories260K")
                .prompt("Once upon a time").maxTokens(5).logprobs(3).temperature(0.0).build());
        var lp = c.choices().getFirst().logprobs().orElseThrow();
        List<Double> tokenLogprobs = lp.tokenLogprobs().orElseThrow();
        assertThat(tokenLogprobs).hasSize(5).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0.0));
        assertThat(lp.topLogprobs().orElseThrow()).hasSize(5);
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(c.usage().orElseThrow().promptTokens() + 5);
    }

    @Test
    void modelsList() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly("stories260K");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("nope")
                .addUserMessage("hi").build())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder().model("stories260K")
                .prompt("hi").maxTokens(100_000).build())).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("maximum context length is 512");
    }
}
