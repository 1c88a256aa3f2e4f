package ai.tarka.serve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.serve.TarkaServer;
import org.junit.jupiter.api.Test;

/** The API key and the bounded waiting queue. */
class AdmissionTest {

    @Test
    void missingOrWrongBearerIs401AndOpenRoutesStayOpen() {
        try (TarkaServer server = TarkaServer.start(Stories260K.options().withApiKey("s3cret"))) {
            Http http = new Http(server.port());
            String body = "{\"prompt\":\"Once\",\"max_tokens\":2}";
            var none = http.post("/v1/completions", body);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().get("error").get("code").asText()).isEqualTo("invalid_api_key");
            assertThat(http.post("/v1/completions", body, "Authorization", "Bearer wrong").status()).isEqualTo(401);
            assertThat(http.get("/v1/models").status()).isEqualTo(401);
            assertThat(http.post("/v1/completions", body, "Authorization", "Bearer s3cret").status()).isEqualTo(200);
            assertThat(http.get("/health").status()).isEqualTo(200);
            assertThat(http.get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void fullWaitingQueueIs429WithRetryAfter() {
        // a queue of zero refuses everything: the one deterministic way to see the 429 path without timing
        try (TarkaServer server = TarkaServer.start(Stories260K.options().withLimits(8L << 20, 4, 256, 0, true))) {
            Http http = new Http(server.port());
            var r = http.post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":2}");
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.headers().get("retry-after")).containsExactly("1");
            assertThat(r.json().get("error").get("type").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(server.engine().waiting()).isZero();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void closeEndsRunningStreamsAndStopsTheEngine() throws Exception {
        TarkaServer server = TarkaServer.start(Stories260K.options());
        int port = server.port();
        String body = "{\"prompt\":[1],\"max_tokens\":400,\"stream\":true,\"ignore_eos\":true}";
        var client = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        var resp = client.send(req, java.net.http.HttpResponse.BodyHandlers.ofLines());
        var lines = resp.body().iterator();
        assertThat(lines.next()).startsWith("data: ");
        Thread closer = Thread.ofPlatform().start(server::close);
        int more = 0;
        try {
            while (lines.hasNext()) {
                lines.next();
                more++;
            }
        } catch (java.io.UncheckedIOException cutOff) {
            // the server may end the connection instead of letting the stream finish: both are a clean end
        }
        closer.join();
        assertThat(server.engine().running()).isZero();
        assertThat(server.engine().usedBlocks()).isZero();
        assertThatThrownBy(() -> new Http(port).get("/health")).isInstanceOf(AssertionError.class);
    }
}
