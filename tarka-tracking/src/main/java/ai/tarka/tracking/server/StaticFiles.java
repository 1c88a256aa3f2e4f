package ai.tarka.tracking.server;

import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.TrackingException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;

/** Serves class-path resources (the dashboard and its webjars) with a content type from the extension. */
final class StaticFiles {
    private StaticFiles() {
    }

    static void send(ServerResponse res, String resource) throws IOException {
        if (resource.contains("..")) {
            TrackingServer.sendError(res, new TrackingException(ErrorCode.BAD_REQUEST, "Invalid path " + resource));
            return;
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                TrackingServer.sendError(res, new TrackingException(ErrorCode.ENDPOINT_NOT_FOUND, "Not found: " + resource));
                return;
            }
            res.header("Content-Type", contentType(resource));
            res.header("Cache-Control", resource.startsWith("META-INF") ? "max-age=86400" : "no-cache");
            res.send(in.readAllBytes());
        }
    }

    static String contentType(String name) {
        if (name.endsWith(".html")) return "text/html; charset=utf-8";
        if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (name.endsWith(".css")) return "text/css; charset=utf-8";
        if (name.endsWith(".json")) return "application/json";
        if (name.endsWith(".png")) return "image/png";
        if (name.endsWith(".svg")) return "image/svg+xml";
        if (name.endsWith(".txt") || name.endsWith(".yaml") || name.endsWith(".log")) return "text/plain; charset=utf-8";
        return "application/octet-stream";
    }
}
