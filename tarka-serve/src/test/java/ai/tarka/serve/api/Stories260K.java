package ai.tarka.serve.api;

import ai.tarka.common.SharedData;
import ai.tarka.serve.ServeOptions;
import ai.tarka.serve.TarkaServer;
import java.nio.file.Path;

/** Starts {@code tarka serve} on the real stories260K model (llama2.c .bin + tok512.bin) on 127.0.0.1, random port. */
final class Stories260K {
    private Stories260K() {}

    static final Path DIR = SharedData.resolve("stories260K");

    static ServeOptions options() {
        return ServeOptions.defaults(DIR.resolve("stories260K.bin")).withTokenizer(DIR.resolve("tok512.bin")).withPort(0)
                .withLimits(8L << 20, 16, 256, 64, true).withMaxBodyBytes(64 * 1024);
    }

    static TarkaServer start() {
        return TarkaServer.start(options());
    }
}
