package ai.tarka.cli.tokenizer;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer;
import ai.tarka.tokenizers.wordpiece.WordPieceTokenizer;
import ai.tarka.tokenizers.bpe.Gpt2BpeLoader;
import ai.tarka.tokenizers.bpe.TiktokenEncoding;
import ai.tarka.tokenizers.hf.HfTokenizerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns the {@code --tokenizer} argument into a tokenizer: a Hugging Face {@code tokenizer.json}
 * (plain or {@code .gz}, or a folder holding one; byte-level BPE, SentencePiece BPE or WordPiece), a GGUF file's tokenizer
 * (SentencePiece-BPE, WordPiece or GPT-2 BPE), a llama2.c {@code tokenizer.bin}, a tiktoken rank file
 * ({@code r50k_base.tiktoken}, {@code cl100k_base.tiktoken}, {@code o200k_base.tiktoken}), or a folder
 * with GPT-2 style files ({@code encoder.json}/{@code vocab.json} and {@code vocab.bpe}/{@code merges.txt},
 * as {@code tarka tokenizer train} writes them).
 */
final class TokenizerLocator {
    private TokenizerLocator() {}

    static TextTokenizer load(Path path) {
        if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("tokenizer.json"))) {
            return HfTokenizerJson.loadAny(path.resolve("tokenizer.json"));
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().matches("(?i).*tokenizer\\.json(\\.gz)?")) {
            return HfTokenizerJson.loadAny(path);
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            return fromGguf(path);
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bin")) {
            return ai.tarka.tokenizers.llama2c.Llama2cTokenizers.load(path); // llama2.c tokenizer.bin
        }
        if (Files.isDirectory(path)) {
            Path encoder = firstExisting(path, "encoder.json", "vocab.json");
            Path merges = firstExisting(path, "vocab.bpe", "merges.txt");
            if (encoder == null || merges == null) {
                throw new IllegalArgumentException("tokenizer folder " + path
                        + " needs encoder.json (or vocab.json) and vocab.bpe (or merges.txt)");
            }
            return Gpt2BpeLoader.load(encoder, merges);
        }
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException("tokenizer " + path + " does not exist");
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        for (TiktokenEncoding e : TiktokenEncoding.values()) {
            if (name.equals(e.fileName())) return e.load(path);
        }
        throw new IllegalArgumentException("tokenizer " + path + " is not a supported format (expected r50k_base.tiktoken, "
                + "cl100k_base.tiktoken, o200k_base.tiktoken, tokenizer.json[.gz], or a folder with tokenizer.json or encoder.json + vocab.bpe)");
    }

    /** The tokenizer in a GGUF file's {@code tokenizer.ggml.*} metadata. */
    private static TextTokenizer fromGguf(Path path) {
        GgufFile gguf = GgufFile.open(path);
        String model = gguf.getString("tokenizer.ggml.model");
        return switch (model) {
            case "llama" -> SentencePieceBpeTokenizer.fromGguf(gguf);
            case "bert" -> WordPieceTokenizer.fromGguf(gguf);
            case "gpt2" -> ai.tarka.tokenizers.bpe.GgufBpeLoader.load(gguf);
            default -> throw new IllegalArgumentException("tokenizer " + path + ": GGUF tokenizer model '" + model
                    + "' is not supported yet (supported: llama, bert, gpt2)");
        };
    }

    private static Path firstExisting(Path dir, String... names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}
