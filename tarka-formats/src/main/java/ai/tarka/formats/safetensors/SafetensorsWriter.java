package ai.tarka.formats.safetensors;

import ai.tarka.formats.tensors.HalfFloats;
import ai.tarka.formats.tensors.TensorDType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code .safetensors} files: tensors in the order given, F32 or converted to F16/BF16 (round to nearest
 * even), the JSON header padded with spaces to a multiple of 8 bytes as the reference writer does so that the data
 * section starts 8-byte aligned. Each file is written under a temporary name in the same directory, forced to disk
 * and renamed into place with ATOMIC_MOVE, so a reader never sees a half-written file.
 */
public final class SafetensorsWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int CHUNK_BYTES = 1 << 20;

    private SafetensorsWriter() {
    }

    /** Writes F32 tensors. */
    public static void write(Path file, Map<String, String> metadata, List<NamedTensor> tensors) {
        write(file, metadata, tensors, TensorDType.F32);
    }

    /** Writes tensors stored as {@code dtype}: F32, F16 or BF16. */
    public static void write(Path file, Map<String, String> metadata, List<NamedTensor> tensors, TensorDType dtype) {
        Path target = file.toAbsolutePath();
        Path tmp = writeTemporary(target, metadata, tensors, dtype);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot move " + tmp + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes F32 tensors as a Hugging Face checkpoint in {@code dir}: one {@code model.safetensors} when they fit
     * {@code maxShardBytes}, else {@code model-00001-of-0000N.safetensors} shards (in tensor order, each at most
     * {@code maxShardBytes} of data unless a single tensor is larger) and {@code model.safetensors.index.json} with
     * {@code metadata.total_size} and the {@code weight_map}. Every shard carries {@code metadata}. Returns the files
     * written; files of an older set in {@code dir} that the new one does not use are removed.
     */
    public static List<Path> writeSharded(Path dir, Map<String, String> metadata, List<NamedTensor> tensors,
                                          long maxShardBytes) {
        return writeSharded(dir, metadata, tensors, maxShardBytes, TensorDType.F32);
    }

    /** {@link #writeSharded(Path, Map, List, long)} storing {@code dtype}: F32, F16 or BF16. */
    public static List<Path> writeSharded(Path dir, Map<String, String> metadata, List<NamedTensor> tensors,
                                          long maxShardBytes, TensorDType dtype) {
        return ShardedSafetensorsWriter.write(dir, metadata, tensors, maxShardBytes, dtype);
    }

    /**
     * Writes the file's content under a temporary sibling name and returns that name; the caller renames it. On
     * failure the temporary file is removed and the exception names the target file.
     */
    static Path writeTemporary(Path target, Map<String, String> metadata, List<NamedTensor> tensors, TensorDType dtype) {
        checkStorable(dtype);
        byte[] header = header(target, metadata, tensors, dtype);
        // not Files.createTempFile: its owner-only permissions would survive the rename
        Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            for (NamedTensor t : tensors) writeData(ch, buf, t.data(), dtype);
            ch.force(true);
            return tmp;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write safetensors file " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    static void checkStorable(TensorDType dtype) {
        if (dtype != TensorDType.F32 && dtype != TensorDType.F16 && dtype != TensorDType.BF16)
            throw new IllegalArgumentException("safetensors writer stores F32, F16 or BF16, not " + dtype);
    }

    /** Bytes the data section of these tensors takes when stored as {@code dtype}. */
    static long dataBytes(List<NamedTensor> tensors, TensorDType dtype) {
        long n = 0;
        for (NamedTensor t : tensors) n += (long) t.data().length * dtype.bytes();
        return n;
    }

    /** The JSON header padded with spaces to a multiple of 8 bytes. */
    static byte[] header(Path target, Map<String, String> metadata, List<NamedTensor> tensors, TensorDType dtype) {
        Set<String> names = new HashSet<>();
        for (NamedTensor t : tensors) {
            if (t.name().equals(SafetensorsFile.METADATA_KEY))
                throw new IllegalArgumentException(target + ": a tensor cannot be named " + SafetensorsFile.METADATA_KEY);
            if (!names.add(t.name()))
                throw new IllegalArgumentException(target + ": duplicate tensor name '" + t.name() + "'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (metadata != null && !metadata.isEmpty()) {
                g.writeObjectFieldStart(SafetensorsFile.METADATA_KEY);
                for (Map.Entry<String, String> kv : metadata.entrySet()) g.writeStringField(kv.getKey(), kv.getValue());
                g.writeEndObject();
            }
            long at = 0;
            for (NamedTensor t : tensors) {
                long end = at + (long) t.data().length * dtype.bytes();
                g.writeObjectFieldStart(t.name());
                g.writeStringField("dtype", SafetensorsDTypes.name(dtype));
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(at);
                g.writeNumber(end);
                g.writeEndArray();
                g.writeEndObject();
                at = end;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] json = out.toByteArray();
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) header[i] = ' ';
        if (padded > SafetensorsFile.MAX_HEADER_BYTES)
            throw new IllegalArgumentException(target + ": header of " + padded + " bytes exceeds the "
                    + SafetensorsFile.MAX_HEADER_BYTES + "-byte limit readers enforce");
        return header;
    }

    private static void writeData(FileChannel ch, ByteBuffer buf, float[] data, TensorDType dtype) throws IOException {
        int perChunk = CHUNK_BYTES / dtype.bytes();
        for (int start = 0; start < data.length; start += perChunk) {
            int n = Math.min(perChunk, data.length - start);
            buf.clear();
            switch (dtype) {
                case F32 -> {
                    buf.asFloatBuffer().put(data, start, n);
                    buf.position(4 * n);
                }
                case F16 -> {
                    for (int i = 0; i < n; i++) buf.putShort(HalfFloats.floatToF16(data[start + i]));
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) buf.putShort(HalfFloats.floatToBf16(data[start + i]));
                }
                default -> throw new IllegalStateException(dtype.toString());
            }
            buf.flip();
            writeFully(ch, buf);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the original failure is what the caller needs to see
        }
    }
}
