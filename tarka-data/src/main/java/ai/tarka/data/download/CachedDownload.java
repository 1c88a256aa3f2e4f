package ai.tarka.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Files fetched once over HTTP(S) into a cache folder: {@code $TARKA_CACHE/datasets} (or the system property
 * {@code tarka.cache}), else {@code ~/.cache/tarka/datasets}. A download goes to a temporary file beside its target,
 * is checked against its SHA-256 when one is given, and is renamed into place only then: the cache never holds a
 * partial or wrong file. A cached file whose checksum no longer matches is fetched again. No resuming.
 */
public final class CachedDownload {
    private final Path root;
    private final HttpClient client;

    public CachedDownload(Path root) {
        this.root = root.toAbsolutePath();
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** The cache of datasets: see the class comment. */
    public static CachedDownload defaultCache() {
        return new CachedDownload(defaultRoot());
    }

    static Path defaultRoot() {
        String base = System.getProperty("tarka.cache");
        if (base == null || base.isBlank()) base = System.getenv("TARKA_CACHE");
        if (base != null && !base.isBlank()) return Path.of(base).resolve("datasets");
        return Path.of(System.getProperty("user.home"), ".cache", "tarka", "datasets");
    }

    public Path root() {
        return root;
    }

    /** Where {@code name} (a relative path such as {@code tinyshakespeare/input.txt}) lives in the cache. */
    public Path location(String name) {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("download: name " + name + " leaves the cache folder " + root);
        return p;
    }

    /**
     * The cached file {@code name}, downloaded from {@code url} first when it is missing (or does not match
     * {@code sha256}, when given).
     *
     * @param log one line before a download starts and after it ends (to standard error in the CLI)
     */
    public Path fetch(String name, URI url, String sha256, Consumer<String> log) {
        Path target = location(name);
        if (Files.isRegularFile(target)) {
            if (sha256 == null || sha256.equalsIgnoreCase(sha256Of(target))) return target;
            log.accept("cached " + target + " does not match its SHA-256; downloading it again");
        }
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("download: cannot create cache folder " + target.getParent() + ": " + e, e);
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        log.accept("downloading " + url + " -> " + target);
        long t0 = System.nanoTime();
        try {
            HttpResponse<InputStream> response;
            try {
                response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new UncheckedIOException("download: " + url + " failed: " + e, e);
            }
            MessageDigest md = sha256Digest();
            long bytes = 0;
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("download: " + url + " answered HTTP " + response.statusCode());
                }
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                        out.write(buf, 0, n);
                        bytes += n;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("download: " + url + " -> " + tmp + " failed after " + bytes + " bytes: " + e, e);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (sha256 != null && !sha256.equalsIgnoreCase(actual)) {
                throw new IllegalStateException("download: " + url + " has SHA-256 " + actual + " but " + sha256.toLowerCase(Locale.ROOT)
                        + " was expected (" + bytes + " bytes); nothing was saved");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.accept(String.format("downloaded %,d bytes in %.1f s, sha256 %s", bytes, (System.nanoTime() - t0) / 1e9, actual));
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("download: " + url + " interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException("download: cannot move " + tmp + " to " + target + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // only a failed download leaves the temporary file; its error is the one reported
            }
        }
    }

    /** Hex SHA-256 of a file. */
    public static String sha256Of(Path file) {
        MessageDigest md = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
