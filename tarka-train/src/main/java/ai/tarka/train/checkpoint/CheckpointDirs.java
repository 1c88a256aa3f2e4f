package ai.tarka.train.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of an output directory: {@code checkpoint-<step>/} directories, complete by construction because
 * each is written under {@code checkpoint-<step>.tmp-XXXX} and renamed in one atomic move. Anything still named
 * {@code .tmp-} was left by a killed run and is removed on the next start; pruning renames a checkpoint to a temp
 * name before deleting it, so a kill during deletion never leaves a half checkpoint that looks complete.
 */
public final class CheckpointDirs {
    private CheckpointDirs() {}

    private static final Pattern FINAL = Pattern.compile("checkpoint-(\\d+)");
    private static final Pattern TEMP = Pattern.compile("checkpoint-\\d+\\.tmp-.*");

    /** A complete checkpoint directory and its step. */
    public record Checkpoint(long step, Path dir) {}

    public static Path finalDir(Path outputDir, long step) {
        return outputDir.resolve("checkpoint-" + step);
    }

    /** A new, empty temp directory for the checkpoint of {@code step}. */
    static Path newTempDir(Path outputDir, long step) throws IOException {
        while (true) {
            Path p = outputDir.resolve("checkpoint-" + step + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
            try {
                return Files.createDirectory(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    /** Complete checkpoints, oldest first. */
    public static List<Checkpoint> list(Path outputDir) {
        List<Checkpoint> out = new ArrayList<>();
        if (!Files.isDirectory(outputDir)) return out;
        try (Stream<Path> s = Files.list(outputDir)) {
            s.forEach(p -> {
                Matcher m = FINAL.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) out.add(new Checkpoint(Long.parseLong(m.group(1)), p));
            });
        } catch (IOException e) {
            throw new CheckpointException(outputDir + ": cannot list checkpoints: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(Checkpoint::step));
        return out;
    }

    /** The checkpoint with the highest step, found by scanning. */
    public static Optional<Checkpoint> latest(Path outputDir) {
        List<Checkpoint> all = list(outputDir);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** Removes temp directories left by a killed run; returns how many. */
    public static int removeStaleTemps(Path outputDir) {
        if (!Files.isDirectory(outputDir)) return 0;
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> s = Files.list(outputDir)) {
            s.filter(p -> TEMP.matcher(p.getFileName().toString()).matches()).forEach(stale::add);
        } catch (IOException e) {
            throw new CheckpointException(outputDir + ": cannot list checkpoints: " + e.getMessage(), e);
        }
        for (Path p : stale) deleteTree(p);
        return stale.size();
    }

    /** Keeps the newest {@code limit} checkpoints (0 keeps all); returns the removed ones. */
    public static List<Path> prune(Path outputDir, int limit) {
        List<Path> removed = new ArrayList<>();
        if (limit <= 0) return removed;
        List<Checkpoint> all = list(outputDir);
        for (int i = 0; i < all.size() - limit; i++) {
            Checkpoint c = all.get(i);
            try {
                Path doomed = outputDir.resolve(c.dir().getFileName() + ".tmp-deleting");
                Files.move(c.dir(), doomed, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(doomed);
                removed.add(c.dir());
            } catch (IOException e) {
                throw new CheckpointException(c.dir() + ": cannot remove old checkpoint: " + e.getMessage(), e);
            }
        }
        return removed;
    }

    /** Deletes a directory tree, children first. */
    static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
