package ai.tarka.data.prepare;

import ai.tarka.data.shard.TokenShardWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One split's shards ({@code train} or {@code val}): documents go to the open shard until it holds at least
 * {@code shardTokens}, then the next one starts. Shards are written as {@code NAME-00000.bin}, ...; a split that
 * fits in one shard is renamed to {@code NAME.bin} at the end.
 */
final class ShardSink implements AutoCloseable {
    private final Path dir;
    private final String name;
    private final int vocabSize;
    private final long shardTokens;
    private final List<Path> committed = new ArrayList<>();
    private final int[] one = new int[1];
    private TokenShardWriter open;
    private long tokens;
    private long documents;

    ShardSink(Path dir, String name, int vocabSize, long shardTokens) {
        this.dir = dir;
        this.name = name;
        this.vocabSize = vocabSize;
        this.shardTokens = shardTokens;
    }

    /** Appends one document, then EOS when {@code eos >= 0}. */
    void write(int[] ids, int from, int to, int eos) {
        if (to <= from && eos < 0) return;
        if (open == null) open = TokenShardWriter.create(dir.resolve(String.format("%s-%05d.bin", name, committed.size())), vocabSize);
        open.startDocument();
        open.append(ids, from, to - from);
        if (eos >= 0) {
            one[0] = eos;
            open.append(one, 0, 1);
        }
        tokens += to - from + (eos >= 0 ? 1 : 0);
        documents++;
        if (open.tokenCount() >= shardTokens) {
            committed.add(open.commit());
            open = null;
        }
    }

    long tokens() {
        return tokens;
    }

    long documents() {
        return documents;
    }

    /** Commits the open shard and gives the final shard names. */
    List<Path> finish() throws IOException {
        if (open != null) {
            committed.add(open.commit());
            open = null;
        }
        if (committed.isEmpty()) { // an empty split still gets its file, so readers need not special-case it
            try (TokenShardWriter w = TokenShardWriter.create(dir.resolve(name + ".bin"), vocabSize)) {
                committed.add(w.commit());
            }
        } else if (committed.size() == 1 && !committed.getFirst().getFileName().toString().equals(name + ".bin")) {
            Path single = dir.resolve(name + ".bin");
            Files.move(committed.getFirst(), single, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed.set(0, single);
        }
        return List.copyOf(committed);
    }

    /** Deletes everything this sink wrote (after a failure). */
    void discard() {
        if (open != null) open.abort();
        open = null;
        for (Path p : committed) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort after an earlier failure, which is the error reported
            }
        }
        committed.clear();
    }

    @Override
    public void close() {
        if (open != null) open.abort();
    }
}
