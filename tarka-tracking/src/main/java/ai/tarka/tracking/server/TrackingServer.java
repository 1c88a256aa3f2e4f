package ai.tarka.tracking.server;

import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.TrackingException;
import ai.tarka.tracking.store.TrackingStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tarka ui}: a Helidon SE web server with MLflow's REST API under /api/2.0/mlflow (and /ajax-api, which
 * MLflow's own UI calls), the dashboard at /, its scripts under /static and /webjars, and the dashboard's extra
 * JSON under /tarka/api.
 */
public final class TrackingServer implements AutoCloseable {
    private static final String[] API_PREFIXES = {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"};

    private final WebServer server;

    private TrackingServer(WebServer server) {
        this.server = server;
    }

    /** Starts serving {@code store} on host:port (port 0: a free port, see {@link #port()}). */
    public static TrackingServer start(TrackingStore store, String host, int port) {
        MlflowApi api = new MlflowApi(store);
        DashboardApi dashboard = new DashboardApi(store);
        WebServer server = WebServer.builder().host(host).port(port)
                .routing(r -> routes(r, api, dashboard))
                .build().start();
        return new TrackingServer(server);
    }

    private static void routes(HttpRouting.Builder r, MlflowApi api, DashboardApi dashboard) {
        for (String prefix : API_PREFIXES) {
            r.any(prefix + "*", (req, res) -> mlflow(api, prefix, req, res));
        }
        r.any("/tarka/api/*", (req, res) -> dashboardApi(dashboard, req, res));
        r.get("/", (req, res) -> StaticFiles.send(res, "ai/tarka/tracking/dashboard/index.html"));
        r.get("/static/*", (req, res) -> StaticFiles.send(res, "ai/tarka/tracking/dashboard/" + req.path().path().substring("/static/".length())));
        r.get("/webjars/*", (req, res) -> StaticFiles.send(res, "META-INF/resources" + req.path().path()));
        r.get("/artifacts/*", (req, res) -> dashboard.artifact(req, res));
    }

    private static void mlflow(MlflowApi api, String prefix, ServerRequest req, ServerResponse res) {
        String name = req.path().path().substring(prefix.length());
        MlflowApi.Endpoint endpoint = api.endpoints().get(name);
        if (endpoint == null) {
            sendError(res, new TrackingException(ErrorCode.ENDPOINT_NOT_FOUND, "No MLflow endpoint " + req.prologue().method().text() + " " + req.path().path()));
            return;
        }
        respond(res, () -> endpoint.handle(new MlflowApi.Request(body(req), query(req))));
    }

    private static void dashboardApi(DashboardApi dashboard, ServerRequest req, ServerResponse res) {
        String name = req.path().path().substring("/tarka/api/".length());
        respond(res, () -> dashboard.handle(name, new MlflowApi.Request(body(req), query(req))));
    }

    interface Answer {
        ObjectNode get();
    }

    private static void respond(ServerResponse res, Answer answer) {
        ObjectNode out;
        try {
            out = answer.get();
        } catch (TrackingException e) {
            sendError(res, e);
            return;
        } catch (RuntimeException e) {
            sendError(res, new TrackingException(ErrorCode.INTERNAL_ERROR, String.valueOf(e.getMessage()), e));
            return;
        }
        res.header("Content-Type", "application/json");
        res.send(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void sendError(ServerResponse res, TrackingException e) {
        ObjectNode o = MlflowJson.JSON.createObjectNode().put("error_code", e.code().name()).put("message", e.getMessage());
        res.status(Status.create(e.code().httpStatus));
        res.header("Content-Type", "application/json");
        res.send(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode body(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) return MlflowJson.JSON.createObjectNode();
            JsonNode n = MlflowJson.JSON.readTree(bytes);
            if (n == null || !n.isObject()) throw new IOException("the body is not a JSON object");
            return n;
        } catch (IOException e) {
            throw new TrackingException(ErrorCode.BAD_REQUEST, "Malformed JSON request body: " + e.getMessage(), e);
        }
    }

    private static Map<String, List<String>> query(ServerRequest req) {
        Map<String, List<String>> q = new HashMap<>();
        for (String name : req.query().names()) q.put(name, req.query().all(name));
        return q;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
