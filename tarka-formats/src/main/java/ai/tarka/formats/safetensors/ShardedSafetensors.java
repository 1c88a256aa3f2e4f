package ai.tarka.formats.safetensors;

import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import ai.tarka.formats.tensors.TensorSource;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A checkpoint split over several safetensors files and tied together by a Hugging Face index
 * ({@code model.safetensors.index.json}: {@code weight_map} from tensor name to shard file, {@code metadata}). Every
 * shard is memory-mapped; the index and the shards must agree exactly on which tensor lives where.
 */
public final class ShardedSafetensors implements TensorSource {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Path index;
    private final Map<String, String> metadata;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> owner;
    private final List<TensorEntry> entries;

    private ShardedSafetensors(Path index, Map<String, String> metadata, List<SafetensorsFile> shards,
                               Map<String, SafetensorsFile> owner) {
        this.index = index;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.shards = List.copyOf(shards);
        this.owner = owner;
        List<TensorEntry> all = new ArrayList<>();
        for (SafetensorsFile s : shards) all.addAll(s.entries());
        this.entries = List.copyOf(all);
    }

    /**
     * Opens an index file, or a directory holding exactly one {@code *.safetensors.index.json} (normally
     * {@code model.safetensors.index.json}).
     */
    public static ShardedSafetensors open(Path indexOrDirectory) {
        Path index = Files.isDirectory(indexOrDirectory) ? findIndex(indexOrDirectory) : indexOrDirectory;
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(index));
        } catch (JacksonException e) {
            throw error(index, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read safetensors index " + index + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw error(index, "not a JSON object");
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) throw error(index, "no \"weight_map\" object");
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.get("metadata");
        if (meta != null && meta.isObject())
            for (Map.Entry<String, JsonNode> kv : meta.properties())
                metadata.put(kv.getKey(), kv.getValue().isTextual() ? kv.getValue().textValue() : kv.getValue().toString());

        Path dir = index.toAbsolutePath().getParent();
        // shard file -> tensor names the index puts there; sorted by file name so entries follow shard order
        Map<String, List<String>> byShard = new TreeMap<>();
        for (Map.Entry<String, JsonNode> kv : map.properties()) {
            if (!kv.getValue().isTextual())
                throw error(index, "weight_map entry '" + kv.getKey() + "' must name a shard file, got " + kv.getValue());
            byShard.computeIfAbsent(kv.getValue().textValue(), k -> new ArrayList<>()).add(kv.getKey());
        }
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> owner = new HashMap<>();
            for (Map.Entry<String, List<String>> shard : byShard.entrySet()) {
                Path file = dir.resolve(shard.getKey()).normalize();
                if (!file.startsWith(dir) || !file.getParent().equals(dir))
                    throw error(index, "weight_map names shard '" + shard.getKey() + "' outside the index's directory");
                if (!Files.isRegularFile(file))
                    throw error(index, "shard file '" + shard.getKey() + "' (for tensor '" + shard.getValue().get(0)
                            + "' and " + (shard.getValue().size() - 1) + " more) does not exist");
                SafetensorsFile sf = SafetensorsFile.open(file);
                opened.add(sf);
                for (String name : shard.getValue()) {
                    if (sf.find(name) == null)
                        throw error(index, "weight_map puts tensor '" + name + "' in " + shard.getKey()
                                + " but that shard has no such tensor");
                    owner.put(name, sf);
                }
                for (TensorEntry e : sf.entries())
                    if (!shard.getKey().equals(map.path(e.name()).asText(null)))
                        throw error(index, "shard " + shard.getKey() + " holds tensor '" + e.name() + "' which the weight_map "
                                + (map.has(e.name()) ? "puts in " + map.get(e.name()).asText() : "does not list"));
            }
            return new ShardedSafetensors(index, metadata, opened, owner);
        } catch (RuntimeException e) {
            for (SafetensorsFile sf : opened) sf.close();
            throw e;
        }
    }

    private static Path findIndex(Path dir) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.safetensors.index.json")) {
            for (Path p : ds) found.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        Path preferred = dir.resolve(ShardedSafetensorsWriter.INDEX);
        if (found.contains(preferred)) return preferred;
        if (found.size() == 1) return found.get(0);
        throw new TensorFormatException(dir + ": " + (found.isEmpty() ? "no *.safetensors.index.json"
                : "several safetensors indexes " + found.stream().map(p -> p.getFileName().toString()).sorted().toList()
                  + ", none named " + ShardedSafetensorsWriter.INDEX));
    }

    private static TensorFormatException error(Path index, String problem) {
        return new TensorFormatException(index + ": " + problem);
    }

    /** The index file. */
    public Path index() {
        return index;
    }

    /** The index's {@code metadata} (for example {@code total_size}), values as strings. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The shards in file-name order. */
    public List<SafetensorsFile> shards() {
        return shards;
    }

    @Override
    public String description() {
        return index.toString();
    }

    /** Tensors shard by shard, each shard in data order. */
    @Override
    public List<TensorEntry> entries() {
        return entries;
    }

    @Override
    public TensorEntry find(String name) {
        SafetensorsFile s = owner.get(name);
        return s == null ? null : s.find(name);
    }

    @Override
    public float[] readFloats(String name) {
        return shardOf(name).readFloats(name);
    }

    /** Converts into {@code dst[offset ..]}; see {@link SafetensorsFile#readFloats(String, float[], int)}. */
    @Override
    public void readFloats(String name, float[] dst, int offset) {
        shardOf(name).readFloats(name, dst, offset);
    }

    private SafetensorsFile shardOf(String name) {
        SafetensorsFile s = owner.get(name);
        if (s == null) throw error(index, "no tensor named '" + name + "' in any of the " + shards.size() + " shards");
        return s;
    }

    @Override
    public void close() {
        for (SafetensorsFile s : shards) s.close();
    }

    @Override
    public String toString() {
        return "ShardedSafetensors[" + index + ", " + shards.size() + " shards, " + entries.size() + " tensors]";
    }
}
