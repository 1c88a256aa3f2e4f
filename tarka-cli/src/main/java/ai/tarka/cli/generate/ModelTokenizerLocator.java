package ai.tarka.cli.generate;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the tokenizer that belongs to a model: the one given, else the GGUF file's own vocabulary, else a
 * {@code tokenizer.json} in the model's directory, else llama2.c's {@code tokenizer.bin} or a single
 * {@code tok*.bin} beside a {@code .bin} model.
 */
public final class ModelTokenizerLocator {
    private ModelTokenizerLocator() {}

    public static Path locate(Path model, Path given) {
        if (given != null) return given;
        if (Files.isRegularFile(model) && model.getFileName().toString().toLowerCase().endsWith(".gguf")) {
            if (GgufFile.open(model).has("tokenizer.ggml.model")) return model;
        }
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        List<Path> looked = new ArrayList<>();
        for (String name : new String[] {"tokenizer.json", "tokenizer.bin"}) {
            Path p = dir.resolve(name);
            looked.add(p);
            if (Files.isRegularFile(p)) return p;
        }
        List<Path> toks = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "tok*.bin")) {
            for (Path p : ds) toks.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (toks.size() == 1) return toks.get(0);
        throw new IllegalArgumentException("no tokenizer found for " + model + " (looked for " + looked
                + (toks.isEmpty() ? "" : " and found several tok*.bin: " + toks) + "); pass --tokenizer PATH");
    }

    public static TextTokenizer load(Path model, Path given) {
        return TokenizerLoader.load(locate(model, given));
    }
}
