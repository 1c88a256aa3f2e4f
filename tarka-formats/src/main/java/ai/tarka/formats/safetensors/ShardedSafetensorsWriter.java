package ai.tarka.formats.safetensors;

import ai.tarka.formats.tensors.TensorDType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a Hugging Face style checkpoint directory: {@code model.safetensors} when everything fits one shard, else
 * {@code model-0000i-of-0000n.safetensors} files plus {@code model.safetensors.index.json}.
 *
 * <p>All files are first written under temporary names; only when every one is on disk are they renamed. The old
 * index is removed before any shard is replaced and the new index is renamed last, so a loader that prefers the index
 * (as {@link ai.tarka.formats.tensors.TensorSources} does) never sees old and new shards mixed: a crash in between
 * leaves either the previous set or an index-less set that fails to load with a clear error. Files of an earlier
 * set that the new one does not use are deleted at the end.
 */
final class ShardedSafetensorsWriter {
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";
    private static final Pattern SHARD = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

    private ShardedSafetensorsWriter() {
    }

    static List<Path> write(Path dir, Map<String, String> metadata, List<NamedTensor> tensors, long maxShardBytes,
                            TensorDType dtype) {
        if (maxShardBytes <= 0)
            throw new IllegalArgumentException(dir + ": maximum shard size must be positive, got " + maxShardBytes);
        SafetensorsWriter.checkStorable(dtype);
        Path target = dir.toAbsolutePath();
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + target + ": " + e.getMessage(), e);
        }
        List<List<NamedTensor>> shards = split(tensors, maxShardBytes, dtype);
        // checks duplicates across shards before anything is written
        SafetensorsWriter.header(target, metadata, tensors, dtype);
        int n = shards.size();
        List<Path> finals = new ArrayList<>();
        for (int i = 0; i < n; i++)
            finals.add(target.resolve(n == 1 ? SINGLE : String.format("model-%05d-of-%05d.safetensors", i + 1, n)));
        if (n > 1) finals.add(target.resolve(INDEX));

        List<Path> temps = new ArrayList<>();
        List<Path> moved = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++)
                temps.add(SafetensorsWriter.writeTemporary(finals.get(i), metadata, shards.get(i), dtype));
            if (n > 1) temps.add(writeIndexTemporary(finals.get(n), shards, finals, dtype));
            Files.deleteIfExists(target.resolve(INDEX));
            for (int i = 0; i < temps.size(); i++) {
                Files.move(temps.get(i), finals.get(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                moved.add(finals.get(i));
            }
        } catch (IOException | RuntimeException e) {
            for (Path t : temps) SafetensorsWriter.deleteQuietly(t);
            for (Path m : moved) SafetensorsWriter.deleteQuietly(m);
            if (e instanceof IOException io)
                throw new UncheckedIOException("cannot write checkpoint shards in " + target + ": " + io.getMessage()
                        + " (no partial set left)", io);
            throw (RuntimeException) e;
        }
        removeStale(target, new HashSet<>(finals));
        return List.copyOf(finals);
    }

    /** Greedy in order: a shard closes when the next tensor would push it past the limit; a larger tensor gets its own. */
    static List<List<NamedTensor>> split(List<NamedTensor> tensors, long maxShardBytes, TensorDType dtype) {
        List<List<NamedTensor>> shards = new ArrayList<>();
        List<NamedTensor> current = new ArrayList<>();
        long bytes = 0;
        for (NamedTensor t : tensors) {
            long size = (long) t.data().length * dtype.bytes();
            if (!current.isEmpty() && bytes + size > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(t);
            bytes += size;
        }
        if (!current.isEmpty() || shards.isEmpty()) shards.add(current);
        return shards;
    }

    private static Path writeIndexTemporary(Path index, List<List<NamedTensor>> shards, List<Path> files,
                                            TensorDType dtype) throws IOException {
        Map<String, String> weightMap = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            for (NamedTensor t : shards.get(i)) weightMap.put(t.name(), files.get(i).getFileName().toString());
            total += SafetensorsWriter.dataBytes(shards.get(i), dtype);
        }
        Path tmp = index.resolveSibling(index.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
             JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("metadata");
            g.writeNumberField("total_size", total);
            g.writeEndObject();
            g.writeObjectFieldStart("weight_map");
            for (Map.Entry<String, String> e : weightMap.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            SafetensorsWriter.deleteQuietly(tmp);
            throw new IOException("cannot write " + index + ": " + e.getMessage(), e);
        }
        return tmp;
    }

    private static void removeStale(Path dir, Set<Path> keep) {
        Set<Path> stale = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                boolean ours = name.equals(SINGLE) || name.equals(INDEX) || SHARD.matcher(name).matches();
                if (ours && !keep.contains(p)) stale.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint written, but cannot list " + dir + " to remove an older set: "
                    + e.getMessage(), e);
        }
        // index before shards, so a half-done cleanup never leaves an index pointing at missing files
        Path oldIndex = dir.resolve(INDEX);
        try {
            if (stale.remove(oldIndex)) Files.deleteIfExists(oldIndex);
            for (Path p : stale) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint written, but cannot remove an older file in " + dir + ": "
                    + e.getMessage(), e);
        }
    }
}
