package ai.tarka.tokenizers;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.bpe.Gpt2BpeLoader;
import ai.tarka.tokenizers.bpe.TiktokenEncoding;
import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import ai.tarka.tokenizers.chars.CharTokenizer;
import ai.tarka.tokenizers.hf.HfTokenizerJson;
import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer;
import ai.tarka.tokenizers.wordpiece.WordPieceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens a tokenizer from any path the project supports: a Hugging Face {@code tokenizer.json} (plain or
 * {@code .gz}, or a folder holding one; byte-level BPE, or the character tokenizer {@link CharTokenizer} writes),
 * a GGUF file's tokenizer (SentencePiece-BPE, WordPiece or GPT-2 BPE), a llama2.c {@code tokenizer.bin}, a
 * tiktoken rank file ({@code r50k_base.tiktoken}, {@code cl100k_base.tiktoken}, {@code o200k_base.tiktoken}), or a
 * folder with GPT-2 style files ({@code encoder.json}/{@code vocab.json} and {@code vocab.bpe}/{@code merges.txt}).
 */
public final class TokenizerLoader {
    private TokenizerLoader() {}

    public static TextTokenizer load(Path path) {
        if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("tokenizer.json"))) {
            return tokenizerJson(path.resolve("tokenizer.json"));
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().matches("(?i).*tokenizer\\.json(\\.gz)?")) {
            return tokenizerJson(path);
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
                        + " needs tokenizer.json, or encoder.json (or vocab.json) and vocab.bpe (or merges.txt)");
            }
            return Gpt2BpeLoader.load(encoder, merges);
        }
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException("tokenizer " + path + " does not exist");
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        for (TiktokenEncoding e : TiktokenEncoding.values()) {
            if (name.equals(e.fileName())) return e.load(path);
        }
        throw new IllegalArgumentException("tokenizer " + path + " is not a supported format (expected r50k_base.tiktoken, "
                + "cl100k_base.tiktoken, o200k_base.tiktoken, tokenizer.json[.gz], a .gguf, a llama2.c tokenizer.bin, "
                + "or a folder with tokenizer.json or encoder.json + vocab.bpe)");
    }

    /** The number of token ids of a loaded tokenizer (every id it produces is below it), or -1 when unknown. */
    public static int vocabSize(TextTokenizer t) {
        return switch (t) {
            case CharTokenizer c -> c.vocabSize();
            case ai.tarka.tokenizers.hf.HfTokenizer h -> h.bpe().vocabularySize();
            case ai.tarka.tokenizers.bpe.ByteLevelBpe b -> b.vocabularySize();
            case SentencePieceBpeTokenizer s -> s.vocabSize();
            case WordPieceTokenizer w -> w.vocabSize();
            default -> -1;
        };
    }

    /**
     * The end-of-text token placed between documents, or -1 when the tokenizer has none: the configured EOS of a
     * tokenizer.json, {@code <|endoftext|>} of GPT-2 / tiktoken vocabularies.
     */
    public static int eosId(TextTokenizer t) {
        return switch (t) {
            case ai.tarka.tokenizers.hf.HfTokenizer h -> h.eosId() >= 0 ? h.eosId() : h.addedTokenId("<|endoftext|>");
            case ai.tarka.tokenizers.bpe.ByteLevelBpe b -> b.specialTokens().ids().getOrDefault("<|endoftext|>", ordinaryTokenId(b, "<|endoftext|>"));
            default -> -1;
        };
    }

    /** GPT-2's encoder.json lists <|endoftext|> as an ordinary vocabulary entry; find it by its bytes. */
    private static int ordinaryTokenId(ai.tarka.tokenizers.bpe.ByteLevelBpe b, String text) {
        byte[] want = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int id = b.vocabularySize() - 1; id >= 0; id--) {
            try {
                if (java.util.Arrays.equals(b.tokenBytes(id), want)) return id;
            } catch (IllegalArgumentException unusedId) {
                // ids without a token are skipped
            }
        }
        return -1;
    }

    private static TextTokenizer tokenizerJson(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz") && isCharTokenizer(file)) {
            return CharTokenizer.load(file);
        }
        return HfTokenizerJson.loadAny(file);
    }

    /** A cheap look at the model type: the character tokenizer's file is small and says "WordLevel". */
    private static boolean isCharTokenizer(Path file) {
        try {
            if (Files.size(file) > (4 << 20)) return false;
            String text = Files.readString(file);
            if (!text.contains("\"WordLevel\"")) return false; // skip parsing a large BPE file twice
            // parsed from text: Jackson's byte parser rejects a supplementary character in an escaped object key
            JsonNode root = new ObjectMapper().readTree(text);
            return root != null && CharTokenizer.isCharTokenizer(root);
        } catch (IOException e) {
            throw new TokenizerFormatException(file, "cannot read tokenizer.json: " + e.getMessage(), e);
        }
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
        for (Path p : java.util.stream.Stream.of(names).map(dir::resolve).toList()) {
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}
