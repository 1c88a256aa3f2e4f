package ai.tarka.serve.api;

import static org.assertj.core.api.Assertions.assertThat;

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
}
