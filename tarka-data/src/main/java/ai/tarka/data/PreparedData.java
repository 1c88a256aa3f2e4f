package ai.tarka.data;

import ai.tarka.data.sample.EvalWindows;
import ai.tarka.data.sample.RandomWindowSampler;
import ai.tarka.data.shard.TokenShard;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder written by {@code tarka data prepare}, opened for training: its {@code meta.json}, the train and
 * validation shards it lists (memory-mapped), and the tokenizer it was made with. Close it to unmap the shards.
 */
public final class PreparedData implements AutoCloseable {
    public static final String META = "meta.json";
    public static final String FORMAT = "tarka-token-shards";
    public static final int VERSION = 1;

    private final Path dir;
    private final JsonNode meta;
    private final List<TokenShard> train;
    private final List<TokenShard> val;

    private PreparedData(Path dir, JsonNode meta, List<TokenShard> train, List<TokenShard> val) {
        this.dir = dir;
        this.meta = meta;
        this.train = train;
        this.val = val;
    }

    /** Opens {@code dir}; errors name {@code meta.json} or the shard, and the problem. */
    public static PreparedData open(Path dir) {
        Path metaFile = dir.resolve(META);
        if (!Files.isRegularFile(metaFile)) {
            throw new IllegalArgumentException("prepared data " + dir + ": no " + META + " (run 'tarka data prepare' to make one)");
        }
        JsonNode meta;
        try {
            meta = new ObjectMapper().readTree(metaFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("prepared data " + metaFile + ": cannot read: " + e.getMessage(), e);
        }
        if (meta == null || !FORMAT.equals(meta.path("format").asText())) {
            throw new IllegalArgumentException("prepared data " + metaFile + ": field \"format\" is not \"" + FORMAT + "\"");
        }
        if (meta.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("prepared data " + metaFile + ": field \"version\" is " + meta.path("version") + ", expected " + VERSION);
        }
        int vocab = meta.path("tokenizer").path("vocab_size").asInt(-1);
        List<TokenShard> train = new ArrayList<>();
        List<TokenShard> val = new ArrayList<>();
        try {
            openShards(dir, metaFile, meta, "train", vocab, train);
            openShards(dir, metaFile, meta, "val", vocab, val);
        } catch (RuntimeException e) {
            train.forEach(TokenShard::close);
            val.forEach(TokenShard::close);
            throw e;
        }
        return new PreparedData(dir, meta, List.copyOf(train), List.copyOf(val));
    }

    private static void openShards(Path dir, Path metaFile, JsonNode meta, String split, int vocab, List<TokenShard> into) {
        JsonNode names = meta.path(split).path("shards");
        if (!names.isArray()) throw new IllegalArgumentException("prepared data " + metaFile + ": field \"" + split + ".shards\" is missing");
        for (JsonNode n : names) {
            TokenShard s = TokenShard.open(dir.resolve(n.asText()));
            into.add(s);
            if (s.vocabSize() != vocab) {
                throw new IllegalArgumentException("prepared data " + metaFile + ": shard " + s.file() + " has vocabulary " + s.vocabSize()
                        + " but tokenizer.vocab_size is " + vocab);
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** The parsed {@code meta.json}. */
    public JsonNode meta() {
        return meta;
    }

    public List<TokenShard> train() {
        return train;
    }

    public List<TokenShard> val() {
        return val;
    }

    public int vocabSize() {
        return meta.path("tokenizer").path("vocab_size").asInt();
    }

    /** The tokenizer's end-of-text id, or -1 (meta.json's eos_appended says whether it follows each document). */
    public int eosId() {
        return meta.path("tokenizer").path("eos_id").asInt(-1);
    }

    /** The tokenizer the shards were made with (relative paths in meta.json are relative to this folder). */
    public Path tokenizerPath() {
        return dir.resolve(meta.path("tokenizer").path("path").asText());
    }

    public long trainTokens() {
        return train.stream().mapToLong(TokenShard::tokenCount).sum();
    }

    public long valTokens() {
        return val.stream().mapToLong(TokenShard::tokenCount).sum();
    }

    /** Random training windows over every train shard (see {@link RandomWindowSampler}). */
    public RandomWindowSampler trainSampler(int batch, int seqLen, long seed) {
        return new RandomWindowSampler(train, batch, seqLen, seed);
    }

    /** Every non-overlapping validation window, in order. */
    public EvalWindows valWindows(int batch, int seqLen) {
        return new EvalWindows(val, batch, seqLen);
    }

    @Override
    public void close() {
        train.forEach(TokenShard::close);
        val.forEach(TokenShard::close);
    }
}
