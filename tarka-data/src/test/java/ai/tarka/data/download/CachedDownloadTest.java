package ai.tarka.data.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a JDK HttpServer on 127.0.0.1 (random port); never the internet. */
class CachedDownloadTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final byte[] body = "To be, or not to be, that is the question:\n".repeat(500).getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/input.txt", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/missing", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void downloadsOnceThenServesTheCache() throws Exception {
        CachedDownload cache = new CachedDownload(dir.resolve("cache"));
        List<String> log = new ArrayList<>();
        Path p = cache.fetch("shakes/input.txt", url("/input.txt"), sha(body).toUpperCase(), log::add);
        assertThat(p).isEqualTo(dir.resolve("cache/shakes/input.txt"));
        assertThat(Files.readAllBytes(p)).isEqualTo(body);
        assertThat(log).anyMatch(l -> l.startsWith("downloading ")).anyMatch(l -> l.contains("downloaded 21,500 bytes"));
        assertThat(cache.fetch("shakes/input.txt", url("/input.txt"), sha(body), log::add)).isEqualTo(p);
        assertThat(requests.get()).isEqualTo(1);
        assertThat(Files.list(p.getParent()).toList()).containsExactly(p);
    }

    @Test
    void checksumMismatchIsAnErrorAndLeavesNoFile() {
        CachedDownload cache = new CachedDownload(dir.resolve("cache"));
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> cache.fetch("x/input.txt", url("/input.txt"), wrong, l -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SHA-256").hasMessageContaining(wrong)
                .hasMessageContaining("nothing was saved");
        assertThat(dir.resolve("cache/x")).isEmptyDirectory();
    }

    @Test
    void staleCachedFileIsFetchedAgain() throws Exception {
        CachedDownload cache = new CachedDownload(dir.resolve("cache"));
        Path p = cache.location("input.txt");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "truncated");
        assertThat(Files.readAllBytes(cache.fetch("input.txt", url("/input.txt"), sha(body), l -> {}))).isEqualTo(body);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void httpErrorIsNamed() {
        CachedDownload cache = new CachedDownload(dir.resolve("cache"));
        assertThatThrownBy(() -> cache.fetch("m.txt", url("/missing"), null, l -> {}))
                .hasMessageContaining("/missing").hasMessageContaining("HTTP 404");
        assertThat(dir.resolve("cache")).isEmptyDirectory();
    }

    @Test
    void namesMayNotLeaveTheCache() {
        CachedDownload cache = new CachedDownload(dir.resolve("cache"));
        assertThatThrownBy(() -> cache.location("../outside.txt")).hasMessageContaining("leaves the cache folder");
    }

    @Test
    void shakespeareComesFromSharedDataWhenPresentElseTheCache() throws Exception {
        Path shared = ShakespeareSource.locate(new CachedDownload(dir.resolve("unused")), url("/input.txt"), l -> {});
        assertThat(CachedDownload.sha256Of(shared)).isEqualTo(ShakespeareSource.SHA256); // the pinned hash is the shared copy's
        assertThat(requests.get()).isZero();
        String before = System.getProperty("tarka.shared.data");
        Path emptyShared = Files.createDirectories(dir.resolve("empty-shared"));
        System.setProperty("tarka.shared.data", emptyShared.toString());
        try {
            CachedDownload cache = new CachedDownload(dir.resolve("cache"));
            // the local server serves other bytes: the pinned checksum refuses them
            assertThatThrownBy(() -> ShakespeareSource.locate(cache, url("/input.txt"), l -> {})).hasMessageContaining("SHA-256");
            Path cached = cache.location(ShakespeareSource.NAME);
            Files.createDirectories(cached.getParent());
            Files.copy(shared, cached);
            assertThat(ShakespeareSource.locate(cache, url("/input.txt"), l -> {})).isEqualTo(cached);
            assertThat(requests.get()).isEqualTo(1);
        } finally {
            if (before == null) System.clearProperty("tarka.shared.data");
            else System.setProperty("tarka.shared.data", before);
        }
    }
}
