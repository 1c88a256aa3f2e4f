package ai.tarka.data.shard;

import java.nio.file.Path;

/** A token shard file that cannot be read: the message names the file and what is wrong with it. */
public final class ShardFormatException extends RuntimeException {
    private final Path file;

    public ShardFormatException(Path file, String problem) {
        super("token shard " + file + ": " + problem);
        this.file = file;
    }

    public ShardFormatException(Path file, String problem, Throwable cause) {
        super("token shard " + file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
