package ai.tarka.serve.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.serve.TarkaServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP contract, checked with plain requests against stories260K. */
class OpenAiApiTest {
    static TarkaServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = Stories260K.start();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void greedyCompletionReproducesLlama2cAndCountsUsageExactly() throws Exception {
        var r = http.post("/v1/completions", "{\"model\":\"stories260K\",\"prompt\":[1],\"max_tokens\":60,\"temperature\":0}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode c = r.json().get("choices").get(0);
        String expected = Files.readString(Stories260K.DIR.resolve("expected-greedy-200.txt"));
        assertThat(c.get("text").asText().strip()).isNotEmpty();
        assertThat(expected).startsWith(c.get("text").asText().strip());
        assertThat(c.get("finish_reason").asText()).isEqualTo("length");
        assertThat(r.json().get("usage").get("prompt_tokens").asInt()).isEqualTo(1);
        assertThat(r.json().get("usage").get("completion_tokens").asInt()).isEqualTo(60);
        assertThat(r.json().get("usage").get("total_tokens").asInt()).isEqualTo(61);
        assertThat(r.json().get("object").asText()).isEqualTo("text_completion");
    }

    @Test
    void stopStringEndsWithStopAndIsNotIncluded() {
        var r = http.post("/v1/completions", "{\"prompt\":[1],\"max_tokens\":100,\"temperature\":0,\"stop\":[\"Lily\"]}");
        JsonNode c = r.json().get("choices").get(0);
        assertThat(c.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(c.get("text").asText()).doesNotContain("Lily").contains("little girl named");
        assertThat(c.get("text").asText().strip()).isEqualTo("Once upon a time, there was a little girl named");
    }

    @Test
    void promptPlusMaxTokensBeyondContextIs400NamingBothNumbers() {
        var tok = http.post("/tokenize", "{\"prompt\":\"Once upon a time\"}").json();
        int n = tok.get("count").asInt();
        var r = http.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":600}");
        assertThat(r.status()).isEqualTo(400);
        String msg = r.json().get("error").get("message").asText();
        assertThat(msg).contains("512").contains(String.valueOf(600 + n)).contains(n + " in the prompt").contains("600 in the completion");
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void errorsHaveOpenAiShapeAndStatus() {
        assertThat(http.post("/v1/chat/completions", "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status()).isEqualTo(404);
        var bad = http.post("/v1/chat/completions", "{\"messages\": [");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").has("message")).isTrue();
        var temp = http.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}");
        assertThat(temp.status()).isEqualTo(400);
        assertThat(temp.json().get("error").get("param").asText()).isEqualTo("temperature");
        assertThat(http.get("/nope").status()).isEqualTo(404);
    }

    @Test
    void streamingChatEndsWithDoneAndUsageChunk() {
        var r = http.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
                + "\"max_tokens\":12,\"stream\":true,\"stream_options\":{\"include_usage\":true},\"temperature\":0}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type").get(0)).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        for (String block : r.body().split("\n\n")) if (!block.isBlank()) events.add(block);
        assertThat(events.getLast()).isEqualTo("data: [DONE]");
        JsonNode usage = Http.JSON.valueToTree(null);
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String e : events.subList(0, events.size() - 1)) {
            assertThat(e).startsWith("data: ");
            JsonNode chunk = parse(e.substring(6));
            assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
            if (chunk.get("choices").isEmpty()) usage = chunk.get("usage");
            else {
                JsonNode ch = chunk.get("choices").get(0);
                if (ch.get("delta").has("content")) text.append(ch.get("delta").get("content").asText());
                if (!ch.get("finish_reason").isNull()) finish = ch.get("finish_reason").asText();
            }
        }
        assertThat(finish).isEqualTo("length");
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(12);
        var plain = http.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
                + "\"max_tokens\":12,\"temperature\":0}").json();
        assertThat(text.toString()).isEqualTo(plain.get("choices").get(0).get("message").get("content").asText());
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(plain.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void nChoicesWithSeedAreReproducible() {
        String body = "{\"prompt\":\"Once\",\"max_tokens\":8,\"n\":3,\"seed\":7,\"temperature\":1.0,\"top_p\":0.9,\"top_k\":40,"
                + "\"presence_penalty\":0.5,\"frequency_penalty\":0.3,\"repetition_penalty\":1.1,\"min_p\":0.01,\"logit_bias\":{\"2\":-100}}";
        JsonNode a = http.post("/v1/completions", body).json(), b = http.post("/v1/completions", body).json();
        assertThat(a.get("choices")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(a.get("choices").get(i).get("index").asInt()).isEqualTo(i);
            assertThat(a.get("choices").get(i).get("text")).isEqualTo(b.get("choices").get(i).get("text"));
        }
        assertThat(a.get("usage").get("completion_tokens").asInt()).isEqualTo(24);
    }

    @Test
    void echoWithLogprobsScoresThePrompt() {
        JsonNode r = http.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":1,\"echo\":true,\"logprobs\":2,\"temperature\":0}").json();
        JsonNode c = r.get("choices").get(0);
        int promptTokens = r.get("usage").get("prompt_tokens").asInt();
        JsonNode lp = c.get("logprobs");
        assertThat(lp.get("tokens")).hasSize(promptTokens + 1);
        assertThat(lp.get("token_logprobs").get(0).isNull()).isTrue();
        for (int i = 1; i <= promptTokens; i++) {
            assertThat(lp.get("token_logprobs").get(i).asDouble()).isLessThanOrEqualTo(0.0);
            assertThat(lp.get("top_logprobs").get(i).size()).isBetween(1, 2);
        }
        assertThat(c.get("text").asText()).startsWith("Once upon a time");
    }

    @Test
    void tokenizeDetokenizeModelsHealthVersion() {
        JsonNode t = http.post("/tokenize", "{\"prompt\":\"Once upon a time\"}").json();
        assertThat(t.get("tokens").get(0).asInt()).isEqualTo(1);
        assertThat(t.get("max_model_len").asInt()).isEqualTo(512);
        JsonNode d = http.post("/detokenize", "{\"tokens\":[403,407,261,378]}").json();
        assertThat(d.get("prompt").asText().strip()).isEqualTo("Once upon a time");
        JsonNode m = http.get("/v1/models").json();
        assertThat(m.get("data").get(0).get("id").asText()).isEqualTo("stories260K");
        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.get("/version").json().get("version").asText()).isNotEmpty();
    }

    @Test
    void clientDisconnectCancelsTheSequenceAndFreesItsBlocks() throws Exception {
        long abortsBefore = server.metrics().finishedCount(ai.tarka.serve.engine.FinishReason.ABORT);
        String body = "{\"prompt\":[1],\"max_tokens\":500,\"stream\":true,\"ignore_eos\":true}";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int got = 0;
            while (got < 600) got += Math.max(0, in.read(buf));
        }
        for (int i = 0; i < 500 && (server.engine().usedBlocks() > 0
                || server.metrics().finishedCount(ai.tarka.serve.engine.FinishReason.ABORT) == abortsBefore); i++) {
            Thread.sleep(20);
        }
        assertThat(server.metrics().finishedCount(ai.tarka.serve.engine.FinishReason.ABORT)).isGreaterThan(abortsBefore);
        assertThat(server.engine().usedBlocks()).isZero();
    }

    @Test
    void bodyLargerThanTheLimitIs413() {
        String big = "{\"prompt\":\"" + "a".repeat(100_000) + "\"}";
        assertThat(http.postExpectingContinue("/v1/completions", big).status()).isEqualTo(413);
        assertThat(http.get("/health").status()).isEqualTo(200);
    }

    private static JsonNode parse(String s) {
        try {
            return Http.JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    @Test
    void metricsEndpointCountsWhatWasServed() {
        http.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":4}");
        var r = http.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type").get(0)).startsWith("text/plain");
        var families = ai.tarka.serve.metrics.MetricsScrape.parse(r.body());
        assertThat(families.get("tarka:generation_tokens_total")).isGreaterThanOrEqualTo(4.0);
        assertThat(families.get("tarka:prompt_tokens_total")).isGreaterThanOrEqualTo(5.0);
        assertThat(families.get("tarka:time_to_first_token_seconds_count")).isGreaterThanOrEqualTo(1.0);
        assertThat(families.get("tarka:kv_cache_usage_perc")).isBetween(0.0, 1.0);
    }

    @Test
    void chatPageIsServedAtTheRoot() {
        var r = http.get("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type").get(0)).startsWith("text/html");
        assertThat(r.body()).contains("/v1/chat/completions").contains("id=\"stop\"").contains("id=\"model\"");
    }

    @Test
    void maxTokensZeroWithEchoScoresThePromptOnly() {
        JsonNode r = http.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":0,\"echo\":true,\"logprobs\":0}").json();
        int promptTokens = r.get("usage").get("prompt_tokens").asInt();
        assertThat(r.get("usage").get("completion_tokens").asInt()).isZero();
        JsonNode c = r.get("choices").get(0);
        assertThat(c.get("text").asText()).isEqualTo("Once upon a time");
        assertThat(c.get("logprobs").get("token_logprobs")).hasSize(promptTokens);
        assertThat(c.get("finish_reason").asText()).isEqualTo("length");
        var scored = http.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":1,\"echo\":true,\"logprobs\":0,\"temperature\":0}").json();
        for (int i = 1; i < promptTokens; i++) {
            assertThat(c.get("logprobs").get("token_logprobs").get(i).asDouble()).isCloseTo(
                    scored.get("choices").get(0).get("logprobs").get("token_logprobs").get(i).asDouble(),
                    org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(http.post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":0}").status()).isEqualTo(400);
    }
}
