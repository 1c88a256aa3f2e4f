package ai.tarka.tracking;

import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.Limits;
import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.RunInput;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sends runs to an MLflow tracking server over its REST API (/api/2.0/mlflow). Batches respect MLflow's
 * log-batch limits. Artifacts: copied when the run's artifact URI is a local file: URI, uploaded through the
 * server's artifact proxy for mlflow-artifacts: URIs.
 */
final class MlflowRestBackend implements TrackingBackend {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance on every request
            .connectTimeout(Duration.ofSeconds(10)).build();

    MlflowRestBackend(URI uri) {
        String s = uri.toString().replaceAll("/+$", "");
        this.base = URI.create(s + "/");
    }

    @Override
    public String experimentId(String name) {
        try {
            return get("api/2.0/mlflow/experiments/get-by-name?experiment_name=" + enc(name)).path("experiment").path("experiment_id").asText();
        } catch (TrackingException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) throw e;
        }
        ObjectNode body = JSON.createObjectNode().put("name", name);
        try {
            return post("api/2.0/mlflow/experiments/create", body).path("experiment_id").asText();
        } catch (TrackingException e) {
            if (e.code() != ErrorCode.RESOURCE_ALREADY_EXISTS) throw e;
            return get("api/2.0/mlflow/experiments/get-by-name?experiment_name=" + enc(name)).path("experiment").path("experiment_id").asText();
        }
    }

    @Override
    public String createRun(String experimentId, String runName, String parentRunId, long startTime, Map<String, String> tags) {
        ObjectNode body = JSON.createObjectNode().put("experiment_id", experimentId).put("start_time", startTime);
        if (runName != null) body.put("run_name", runName);
        ArrayNode t = body.putArray("tags");
        tags.forEach((k, v) -> t.addObject().put("key", k).put("value", v));
        if (parentRunId != null) t.addObject().put("key", "mlflow.parentRunId").put("value", parentRunId);
        if (runName != null) t.addObject().put("key", "mlflow.runName").put("value", runName);
        return post("api/2.0/mlflow/runs/create", body).path("run").path("info").path("run_id").asText();
    }

    @Override
    public void log(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        List<Map.Entry<String, String>> p = new ArrayList<>(params.entrySet());
        List<Map.Entry<String, String>> t = new ArrayList<>(tags.entrySet());
        int mi = 0, pi = 0, ti = 0;
        while (mi < metrics.size() || pi < p.size() || ti < t.size()) {
            ObjectNode body = JSON.createObjectNode().put("run_id", runId);
            int np = Math.min(Limits.MAX_PARAMS_PER_BATCH, p.size() - pi);
            int nt = Math.min(Limits.MAX_TAGS_PER_BATCH, t.size() - ti);
            int nm = Math.min(Limits.MAX_ENTITIES_PER_BATCH - np - nt, metrics.size() - mi);
            ArrayNode pa = body.putArray("params");
            for (int i = 0; i < np; i++, pi++) pa.addObject().put("key", p.get(pi).getKey()).put("value", p.get(pi).getValue());
            ArrayNode ta = body.putArray("tags");
            for (int i = 0; i < nt; i++, ti++) ta.addObject().put("key", t.get(ti).getKey()).put("value", t.get(ti).getValue());
            ArrayNode ma = body.putArray("metrics");
            for (int i = 0; i < nm; i++, mi++) {
                Metric m = metrics.get(mi);
                ObjectNode o = ma.addObject().put("key", m.key()).put("timestamp", m.timestamp()).put("step", m.step());
                if (Double.isFinite(m.value())) o.put("value", m.value());
                else o.put("value", Double.isNaN(m.value()) ? "NaN" : m.value() > 0 ? "Infinity" : "-Infinity");
            }
            post("api/2.0/mlflow/runs/log-batch", body);
        }
    }

    @Override
    public void finish(String runId, RunStatus status, long endTime, String error) {
        if (error != null) {
            log(runId, List.of(), Map.of(), Map.of("tarka.error", error.length() > 5000 ? error.substring(0, 5000) : error));
        }
        post("api/2.0/mlflow/runs/update", JSON.createObjectNode().put("run_id", runId).put("run_uuid", runId)
                .put("status", status.name()).put("end_time", endTime));
    }

    @Override
    public void heartbeat(String runId) {
        // MLflow has no heartbeat; a run left RUNNING there stays RUNNING.
    }

    @Override
    public void logArtifact(String runId, Path path) {
        String uri = get("api/2.0/mlflow/runs/get?run_id=" + enc(runId)).path("run").path("info").path("artifact_uri").asText();
        try {
            if (uri.startsWith("file:")) {
                Path root = Path.of(URI.create(uri));
                copy(path, root.resolve(path.getFileName().toString()));
            } else if (uri.startsWith("mlflow-artifacts:")) {
                String prefix = URI.create(uri).getPath().replaceAll("^/+", "");
                upload(path, prefix + "/" + path.getFileName());
            } else {
                throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot store artifact " + path
                        + ": the run's artifact location " + uri + " is neither file: nor mlflow-artifacts:");
            }
        } catch (IOException e) {
            throw new TrackingException(ErrorCode.INTERNAL_ERROR, "Cannot store artifact " + path + " at " + uri + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) copy(f, to.resolve(from.relativize(f).toString()));
            }
            return;
        }
        Files.createDirectories(to.getParent());
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp-" + java.util.UUID.randomUUID());
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void upload(Path from, String remote) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) upload(f, remote + "/" + from.relativize(f).toString().replace('\\', '/'));
            }
            return;
        }
        HttpRequest req = HttpRequest.newBuilder(base.resolve("api/2.0/mlflow-artifacts/artifacts/" + remote))
                .PUT(HttpRequest.BodyPublishers.ofFile(from)).build();
        send(req);
    }

    @Override
    public void logInput(String runId, RunInput input) {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId);
        ObjectNode ds = body.putArray("datasets").addObject();
        ds.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", input.kind());
        ds.putObject("dataset").put("name", Path.of(input.path()).getFileName() == null ? input.path() : Path.of(input.path()).getFileName().toString())
                .put("digest", input.digest().length() > 36 ? input.digest().substring(0, 36) : input.digest())
                .put("source_type", "local").put("source", "{\"uri\": " + JSON.valueToTree(input.path()) + "}");
        post("api/2.0/mlflow/runs/log-inputs", body);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    private JsonNode post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private JsonNode send(HttpRequest req) {
        HttpResponse<String> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TrackingException(ErrorCode.INTERNAL_ERROR, "MLflow server " + base + " unreachable (" + req.uri() + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException(ErrorCode.INTERNAL_ERROR, "interrupted talking to " + req.uri());
        }
        JsonNode body;
        try {
            body = res.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(res.body());
        } catch (IOException e) {
            body = JSON.createObjectNode().put("message", res.body());
        }
        if (res.statusCode() / 100 != 2) {
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(body.path("error_code").asText("INTERNAL_ERROR"));
            } catch (IllegalArgumentException e) {
                code = res.statusCode() == 404 ? ErrorCode.RESOURCE_DOES_NOT_EXIST : ErrorCode.INTERNAL_ERROR;
            }
            throw new TrackingException(code, "MLflow server " + req.method() + " " + req.uri() + " answered HTTP "
                    + res.statusCode() + ": " + body.path("message").asText(res.body()));
        }
        return body;
    }

    @Override
    public void close() {
        http.close();
    }
}
