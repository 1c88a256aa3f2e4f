package ai.tarka.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives headless Chromium over the DevTools protocol (a WebSocket from java.net.http): navigate, evaluate
 * JavaScript, take screenshots, collect uncaught page errors. No browser → an AssertionError saying how to
 * install one (tests must not skip silently).
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final WebSocket socket;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    final List<String> pageErrors = java.util.Collections.synchronizedList(new ArrayList<>());

    static Path binary() {
        String configured = System.getProperty("tarka.chromium", System.getenv("TARKA_CHROMIUM"));
        for (String candidate : configured != null ? List.of(configured) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) return Path.of(candidate);
        }
        throw new AssertionError("No Chromium found (looked for " + (configured != null ? configured : "/usr/bin/chromium, chromium-browser, google-chrome")
                + "). Install it (Debian: apt-get install -y chromium) or pass -Dtarka.chromium=/path/to/chrome.");
    }

    HeadlessChromium(Path profileDir) throws Exception {
        process = new ProcessBuilder(binary().toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--remote-debugging-port=0", "--window-size=1400,1000", "--user-data-dir=" + profileDir, "about:blank")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("DevTools listening on (ws://[^/]+)/");
        String line, hostPort = null;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                hostPort = m.group(1).substring("ws://".length());
                break;
            }
        }
        if (hostPort == null) throw new AssertionError("Chromium did not start:\n" + seen);
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String wsUrl = null;
        for (JsonNode t : targets) if (t.path("type").asText().equals("page")) wsUrl = t.path("webSocketDebuggerUrl").asText();
        if (wsUrl == null) throw new AssertionError("no page target in " + targets);
        socket = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Listener()).get(30, TimeUnit.SECONDS);
        send("Runtime.enable", JSON.createObjectNode());
        send("Page.enable", JSON.createObjectNode());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(buffer.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) f.complete(msg);
                    } else if (msg.path("method").asText().equals("Runtime.exceptionThrown")) {
                        pageErrors.add(msg.path("params").path("exceptionDetails").toString());
                    }
                } catch (Exception e) {
                    pageErrors.add("unreadable DevTools message: " + e);
                }
                buffer.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(msg.toString(), true).get(30, TimeUnit.SECONDS);
        JsonNode reply = f.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) throw new AssertionError(method + " failed: " + reply.get("error"));
        return reply.path("result");
    }

    void navigate(String url) throws Exception {
        send("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Evaluates an expression (promises awaited) and returns its JSON value. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) throw new AssertionError("page script failed: " + expression + " -> " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Polls until {@code document.body.dataset.ready} is {@code name}; fails on "error" or after the timeout. */
    void awaitReady(String name, long timeoutMs) throws Exception {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        String last = "";
        while (System.nanoTime() < end) {
            last = eval("document.body ? (document.body.dataset.ready || '') : ''").asText();
            if (last.equals(name)) return;
            if (last.equals("error")) throw new AssertionError("the page shows an error: " + eval("document.getElementById('view').innerText").asText());
            Thread.sleep(50);
        }
        throw new AssertionError("page never became ready '" + name + "' (last: '" + last + "'); errors: " + pageErrors);
    }

    byte[] screenshot() throws Exception {
        JsonNode r = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    @Override
    public void close() {
        try {
            socket.abort();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
