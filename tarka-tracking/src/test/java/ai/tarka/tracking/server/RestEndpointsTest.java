package ai.tarka.tracking.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tracking.store.TrackingStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints the Java client does not reach (artifacts/list, unknown endpoints, malformed bodies, the dashboard). */
class RestEndpointsTest {
    @TempDir
    Path dir;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, JsonNode body, String text) {
    }

    static Answer call(HttpClient http, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (body != null) b.POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n;
        try {
            n = JSON.readTree(r.body());
        } catch (Exception e) {
            n = null;
        }
        return new Answer(r.statusCode(), n, r.body());
    }

    @Test
    void artifactsErrorsAndStaticFiles() throws Exception {
        try (TrackingStore store = TrackingStore.open(dir);
             TrackingServer server = TrackingServer.start(store, "127.0.0.1", 0);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String base = "http://127.0.0.1:" + server.port();
            String run = store.createRun(store.experimentId("e"), "r", 0, null, Map.of(), false).runId();
            Path f = Files.writeString(dir.resolve("notes.txt"), "hello");
            store.logArtifact(run, f, "docs");
            Answer list = call(http, base + "/api/2.0/mlflow/artifacts/list?run_id=" + run, null);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body().path("files").get(0).path("path").asText()).isEqualTo("docs");
            assertThat(list.body().path("files").get(0).path("is_dir").asBoolean()).isTrue();
            Answer sub = call(http, base + "/api/2.0/mlflow/artifacts/list?run_id=" + run + "&path=docs", null);
            assertThat(sub.body().path("files").get(0).path("file_size").asLong()).isEqualTo(5);
            assertThat(call(http, base + "/artifacts/" + run + "/docs/notes.txt", null).text()).isEqualTo("hello");

            Answer missing = call(http, base + "/api/2.0/mlflow/runs/get?run_id=nope", null);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.body().path("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
            Answer unknown = call(http, base + "/api/2.0/mlflow/runs/fly", "{}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body().path("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
            Answer malformed = call(http, base + "/api/2.0/mlflow/runs/log-batch", "{not json");
            assertThat(malformed.status()).isEqualTo(400);
            Answer missingParam = call(http, base + "/api/2.0/mlflow/runs/log-parameter", "{\"run_id\": \"" + run + "\", \"key\": \"a\"}");
            assertThat(missingParam.status()).isEqualTo(400);
            assertThat(missingParam.body().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
            Answer over = call(http, base + "/api/2.0/mlflow/runs/log-batch", "{\"run_id\": \"" + run + "\", \"params\": ["
                    + "{\"key\": \"k\", \"value\": \"v\"},".repeat(100) + "{\"key\": \"k\", \"value\": \"v\"}]}");
            assertThat(over.status()).isEqualTo(400);
            assertThat(over.body().path("message").asText()).contains("at most 100 params");

            Answer page = call(http, base + "/", null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.text()).contains("<title>Tarka runs</title>");
            assertThat(call(http, base + "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null).text()).contains("uPlot");
            assertThat(call(http, base + "/static/app.js", null).status()).isEqualTo(200);
        }
    }
}
