package ai.tarka.train.checkpoint;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a checkpoint directory atomically: its files go into {@code checkpoint-<step>.tmp-XXXX} beside the final
 * name, which is then renamed to {@code checkpoint-<step>} in one move. Any failure (a full disk, a read-only
 * directory) removes the temp directory and throws a {@link CheckpointException} naming the directory and the cause,
 * so no partial checkpoint is ever left behind.
 */
public final class CheckpointWriter {
    private CheckpointWriter() {}

    /** Writes the files of one checkpoint into a directory. */
    @FunctionalInterface
    public interface Contents {
        void writeInto(Path dir) throws IOException;
    }

    public static Path write(Path outputDir, long step, Contents contents) {
        Path target = CheckpointDirs.finalDir(outputDir, step);
        Path tmp;
        try {
            Files.createDirectories(outputDir);
            tmp = CheckpointDirs.newTempDir(outputDir, step);
        } catch (IOException e) {
            throw new CheckpointException("cannot write checkpoint " + target + ": " + describe(e), e);
        }
        try {
            contents.writeInto(tmp);
            if (Files.exists(target)) {
                // a re-save of the same step replaces the old one; it is renamed away first so the swap stays safe
                Path old = outputDir.resolve(target.getFileName() + ".tmp-replaced");
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                CheckpointDirs.deleteTree(old);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException e) {
            try {
                CheckpointDirs.deleteTree(tmp);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new CheckpointException("cannot write checkpoint " + target + ": " + describe(e), e);
        }
    }

    static String describe(Exception e) {
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason() : e.getClass().getSimpleName().replace("Exception", "");
            return f.getFile() + ": " + reason;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
