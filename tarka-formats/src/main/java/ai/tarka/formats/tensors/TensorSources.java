package ai.tarka.formats.tensors;

import ai.tarka.formats.gguf.GgufTensors;
import ai.tarka.formats.llama2c.Llama2cCheckpoint;
import ai.tarka.formats.safetensors.SafetensorsFile;
import ai.tarka.formats.safetensors.ShardedSafetensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens whatever weight file or checkpoint directory a path names, choosing the reader by content and name. */
public final class TensorSources {
    private TensorSources() {
    }

    /**
     * <ul>
     *   <li>a directory: its {@code model.safetensors.index.json} (or its only {@code *.safetensors.index.json}), else
     *       its {@code model.safetensors}, else its only {@code *.safetensors} file</li>
     *   <li>a {@code *.index.json} file: the sharded checkpoint it indexes</li>
     *   <li>a file starting with "GGUF": {@link GgufTensors}</li>
     *   <li>a {@code .safetensors} file, or any file whose bytes 8.. open a JSON object: {@link SafetensorsFile}</li>
     *   <li>a {@code .bin} file that is not a PyTorch zip archive: {@link Llama2cCheckpoint}</li>
     * </ul>
     *
     * @throws TensorFormatException naming the path when none of these fits
     */
    public static TensorSource open(Path path) {
        if (!Files.exists(path)) throw new TensorFormatException(path + ": no such file or directory");
        if (Files.isDirectory(path)) return openDirectory(path);
        String name = path.getFileName().toString();
        if (name.endsWith(".index.json")) return ShardedSafetensors.open(path);
        byte[] head = head(path, 9);
        if (head.length >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F')
            return GgufTensors.open(path);
        if (name.endsWith(".safetensors") || (head.length == 9 && head[8] == '{')) return SafetensorsFile.open(path);
        if (name.endsWith(".bin")) {
            if (head.length >= 2 && head[0] == 'P' && head[1] == 'K')
                throw new TensorFormatException(path + ": a PyTorch zip/pickle checkpoint, which Tarka does not read; "
                        + "convert it to safetensors");
            return Llama2cCheckpoint.open(path);
        }
        throw new TensorFormatException(path + ": cannot tell the format (read: .safetensors, sharded safetensors "
                + "index or directory, .gguf, llama2.c .bin)");
    }

    private static TensorSource openDirectory(Path dir) {
        List<Path> indexes = list(dir, "*.safetensors.index.json");
        if (!indexes.isEmpty()) return ShardedSafetensors.open(dir);
        Path single = dir.resolve("model.safetensors");
        if (Files.isRegularFile(single)) return SafetensorsFile.open(single);
        List<Path> files = list(dir, "*.safetensors");
        if (files.size() == 1) return SafetensorsFile.open(files.get(0));
        throw new TensorFormatException(dir + ": " + (files.isEmpty()
                ? "no model.safetensors, *.safetensors.index.json or other .safetensors file"
                : files.size() + " .safetensors files but no model.safetensors.index.json saying how they fit together"));
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) out.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
