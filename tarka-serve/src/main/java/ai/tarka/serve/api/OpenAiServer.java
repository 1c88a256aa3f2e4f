package ai.tarka.serve.api;

import ai.tarka.serve.metrics.ServeMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;

/**
 * The OpenAI-compatible HTTP server on Helidon SE (one virtual thread per request). Every handler answers errors as
 * OpenAI's {@code {"error": {...}}} object; nothing a request sends can stop the server.
 */
public final class OpenAiServer implements AutoCloseable {
    public static final String VERSION = "0.1.0";
    private final ServedModel model;
    private final ServeMetrics metrics;
    private final String apiKey;
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final GenerationHandler generation;
    private final WebServer server;
    private final long created = System.currentTimeMillis() / 1000;

    /**
     * @param apiKey     required Bearer token on {@code /v1/*}, {@code /tokenize} and {@code /detokenize}, or null
     * @param maxPayload largest request body in bytes (larger ones get 413)
     */
    public OpenAiServer(ServedModel model, ServeMetrics metrics, String host, int port, String apiKey, long maxPayload) {
        this.model = model;
        this.metrics = metrics;
        this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
        generation = new GenerationHandler(model, json);
        server = WebServer.builder()
                .host(host)
                .port(port)
                .maxPayloadSize(maxPayload)
                .shutdownGracePeriod(Duration.ofSeconds(5))
                .routing(this::routes)
                .build()
                .start();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.port();
    }

    private void routes(HttpRouting.Builder r) {
        r.post("/v1/chat/completions", (req, res) -> guarded(req, res, true, () -> generation.handle(true, body(req), res)))
                .post("/v1/completions", (req, res) -> guarded(req, res, true, () -> generation.handle(false, body(req), res)))
                .get("/v1/models", (req, res) -> guarded(req, res, true, () -> models(res)))
                .post("/tokenize", (req, res) -> guarded(req, res, true, () -> tokenize(body(req), res)))
                .post("/detokenize", (req, res) -> guarded(req, res, true, () -> detokenize(body(req), res)))
                .get("/health", (req, res) -> guarded(req, res, false, () -> res.status(200).send()))
                .get("/version", (req, res) -> guarded(req, res, false, () -> {
                    ObjectNode o = json.createObjectNode();
                    o.put("version", VERSION);
                    sendJson(json, res, 200, o);
                }))
                .get("/metrics", (req, res) -> guarded(req, res, false, () -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
                }))
                .get("/", (req, res) -> guarded(req, res, false, () -> chatPage(res)))
                .any((req, res) -> guarded(req, res, false, () -> {
                    throw new ApiException(404, "invalid_request_error", "no route " + req.prologue().method().text()
                            + " " + req.path().path(), null, "not_found");
                }));
    }

    /** Authorisation, then the handler, with every failure turned into an error object. */
    private void guarded(ServerRequest req, ServerResponse res, boolean protectedRoute, Runnable handler) {
        try {
            if (protectedRoute && apiKey != null) checkKey(req);
            handler.run();
        } catch (ApiException e) {
            if (!res.isSent()) sendJson(json, res, e.status(), error(e.type(), e.getMessage(), e.param(), e.code()));
        } catch (RuntimeException e) {
            if (!res.isSent()) {
                int status = isPayloadTooLarge(e) ? 413 : 500;
                String type = status == 413 ? "invalid_request_error" : "server_error";
                sendJson(json, res, status, error(type, status == 413 ? "request body too large" : "internal error: " + e, null, null));
            }
        }
    }

    private static boolean isPayloadTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.contains("RequestException") || name.contains("PayloadTooLarge")) {
                String msg = String.valueOf(t.getMessage()).toLowerCase();
                if (msg.contains("payload") || msg.contains("large") || msg.contains("length")) return true;
            }
        }
        return false;
    }

    private void checkKey(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        String given = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        boolean ok = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw new ApiException(401, "invalid_request_error",
                    header.isEmpty() ? "missing Authorization: Bearer token" : "incorrect API key provided", null, "invalid_api_key");
        }
    }

    private JsonNode body(ServerRequest req) {
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage(), null);
        }
        try {
            JsonNode n = json.readTree(bytes);
            if (n == null || n.isMissingNode()) throw ApiException.badRequest("the request body is empty", null);
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getMessage(), null);
        }
    }

    private void models(ServerResponse res) {
        ObjectNode o = json.createObjectNode();
        o.put("object", "list");
        ArrayNode data = o.putArray("data");
        ObjectNode m = data.addObject();
        m.put("id", model.name());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "tarka");
        m.put("root", model.name());
        m.putNull("parent");
        m.put("max_model_len", model.contextLength());
        for (String adapter : model.adapters().keySet()) {
            ObjectNode a = data.addObject();
            a.put("id", adapter);
            a.put("object", "model");
            a.put("created", created);
            a.put("owned_by", "tarka");
            a.put("root", adapter);
            a.put("parent", model.name());
            a.put("max_model_len", model.contextLength());
        }
        sendJson(json, res, 200, o);
    }

    private void tokenize(JsonNode body, ServerResponse res) {
        Params p = new Params(body);
        String name = p.string("model", model.name());
        if (model.adapterOf(name) < 0) {
            throw new ApiException(404, "invalid_request_error", "The model `" + name + "` does not exist.", "model", "model_not_found");
        }
        String prompt = p.string("prompt", null);
        if (prompt == null) throw ApiException.badRequest("'prompt' is required", "prompt");
        boolean special = p.bool("add_special_tokens", true);
        int[] ids = special ? generation.encode(prompt) : model.tokenizer().encode(prompt);
        ObjectNode o = json.createObjectNode();
        o.put("count", ids.length);
        o.put("max_model_len", model.contextLength());
        ArrayNode t = o.putArray("tokens");
        for (int id : ids) t.add(id);
        sendJson(json, res, 200, o);
    }

    private void detokenize(JsonNode body, ServerResponse res) {
        Params p = new Params(body);
        if (!p.has("tokens")) throw ApiException.badRequest("'tokens' is required", "tokens");
        int[] ids = p.intArray("tokens", model.engine().model().vocabSize());
        ObjectNode o = json.createObjectNode();
        o.put("prompt", model.tokenizer().decode(ids));
        sendJson(json, res, 200, o);
    }

    private void chatPage(ServerResponse res) {
        try (InputStream in = OpenAiServer.class.getResourceAsStream("chat.html")) {
            if (in == null) throw new ApiException(404, "invalid_request_error", "no chat page in this build", null, null);
            res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
            res.send(in.readAllBytes());
        } catch (IOException e) {
            throw new ApiException(500, "server_error", "cannot read the chat page", null, null);
        }
    }

    private ObjectNode error(String type, String message, String param, String code) {
        ObjectNode o = json.createObjectNode();
        o.set("error", errorBody(json, type, message, param, code));
        return o;
    }

    static ObjectNode errorBody(ObjectMapper json, String type, String message, String param, String code) {
        ObjectNode e = json.createObjectNode();
        e.put("message", message);
        e.put("type", type);
        if (param == null) e.putNull("param");
        else e.put("param", param);
        if (code == null) e.putNull("code");
        else e.put("code", code);
        return e;
    }

    static void sendJson(ObjectMapper json, ServerResponse res, int status, ObjectNode body) {
        try {
            res.status(status);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Stops accepting connections, then lets the engine finish or cancel what runs. */
    @Override
    public void close() {
        server.stop();
        model.engine().close(10_000);
    }

    List<String> endpoints() {
        return List.of("/v1/chat/completions", "/v1/completions", "/v1/models", "/tokenize", "/detokenize", "/health",
                "/version", "/metrics", "/");
    }
}
