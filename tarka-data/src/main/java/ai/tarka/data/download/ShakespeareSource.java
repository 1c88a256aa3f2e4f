package ai.tarka.data.download;

import ai.tarka.common.SharedData;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Tiny Shakespeare ({@code input.txt} of karpathy/char-rnn, 1,115,394 bytes): the shared data copy when there is one
 * ({@code TARKA_SHARED_DATA} / {@code tarka.shared.data} / {@code ../shared/data}), else the download cache, else
 * downloaded once from its public address into the cache. The SHA-256 is that of the shared copy, whose
 * PROVENANCE.md records it as the char-rnn file.
 */
public final class ShakespeareSource {
    public static final URI URL = URI.create("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt");
    public static final String SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed";
    public static final String NAME = "tinyshakespeare/input.txt";

    private ShakespeareSource() {}

    /** The local path of Tiny Shakespeare, downloading it into the default cache if needed. */
    public static Path locate(Consumer<String> log) {
        return locate(CachedDownload.defaultCache(), URL, log);
    }

    /** As {@link #locate(Consumer)} with a given cache and address (tests use a local server). */
    public static Path locate(CachedDownload cache, URI url, Consumer<String> log) {
        Path shared = sharedCopy();
        if (shared != null) return shared;
        return cache.fetch(NAME, url, SHA256, log);
    }

    private static Path sharedCopy() {
        try {
            Path p = SharedData.root().resolve(NAME);
            return Files.isRegularFile(p) ? p : null;
        } catch (IllegalStateException noSharedData) {
            return null;
        }
    }
}
