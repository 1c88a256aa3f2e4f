package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.BoundaryTokens;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.bpe.ByteLevelVocab;
import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.zip.GZIPInputStream;

/**
 * Reads a Hugging Face {@code tokenizer.json} (plain or gzipped, told apart by the gzip magic bytes) for byte-level
 * BPE models of the GPT-2 / Llama 3 / Qwen2-3 kind. Supported: {@code model.type "BPE"}; {@code normalizer} absent or
 * {@code NFC}; {@code pre_tokenizer} {@code ByteLevel} (GPT-2's regex when {@code use_regex}) or a {@code Sequence} of
 * one {@code Split} with a {@code Regex} pattern (behaviour {@code Isolated}) followed by a {@code ByteLevel} without
 * its own regex; {@code decoder} {@code ByteLevel}. Anything else is refused with a message naming the file and the
 * JSON path. A {@code tokenizer_config.json} beside the file supplies the BOS/EOS tokens.
 */
public final class HfTokenizerJson {
    private HfTokenizerJson() {}

    /** A byte-level BPE tokenizer.json; other model kinds are refused (see {@link #loadAny}). */
    public static HfTokenizer load(Path file) {
        JsonNode root = readTree(file);
        return fromTree(file, root, HfTokenizerConfig.read(file.resolveSibling("tokenizer_config.json")));
    }

    /**
     * Any supported tokenizer.json: byte-level BPE ({@link HfTokenizer}), SentencePiece BPE (Llama 2, Mistral, Phi-3:
     * {@code byte_fallback}, {@code ▁} spaces) or WordPiece (BERT). An unsupported {@code model.type} is refused
     * naming the file and the field.
     */
    public static TextTokenizer loadAny(Path file) {
        JsonNode root = readTree(file);
        HfTokenizerConfig config = HfTokenizerConfig.read(file.resolveSibling("tokenizer_config.json"));
        HfJsonReader r = new HfJsonReader(file);
        if (!root.isObject()) throw r.error("(root)", "expected a JSON object");
        String type = r.text(r.object(root, "model"), "model", "type");
        return switch (type) {
            case "BPE" -> HfSentencePieceJson.isSentencePiece(root) ? HfSentencePieceJson.build(r, root, config) : fromTree(file, root, config);
            case "WordPiece" -> HfWordPieceJson.build(r, root, config);
            default -> throw r.error("model.type", "\"" + type + "\" is not supported (BPE, WordPiece)");
        };
    }

    static HfTokenizer fromTree(Path file, JsonNode root, HfTokenizerConfig config) {
        HfJsonReader r = new HfJsonReader(file);
        if (!root.isObject()) throw r.error("(root)", "expected a JSON object");
        JsonNode model = r.object(root, "model");
        String type = r.text(model, "model", "type");
        if (!type.equals("BPE")) throw r.error("model.type", "\"" + type + "\" is not a byte-level BPE model (load it with loadAny)");
        if (HfSentencePieceJson.isSentencePiece(root))
            throw r.error("model", "is SentencePiece BPE (byte_fallback / ▁ spaces), not byte-level BPE (load it with loadAny)");
        Map<String, Integer> vocab = r.vocab(r.object(model, "model", "vocab"));
        List<ByteLevelVocab.Merge> merges = r.merges(r.array(model, "model", "merges"));
        boolean ignoreMerges = model.path("ignore_merges").asBoolean(false);
        boolean nfc = r.normalizer(root.get("normalizer"));
        Pattern preTokenizer = r.preTokenizer(root.get("pre_tokenizer"));
        r.decoder(root.get("decoder"));
        List<HfAddedToken> addedTokens = r.addedTokens(root.get("added_tokens"));
        Map<String, Integer> added = new LinkedHashMap<>();
        for (HfAddedToken t : addedTokens) added.put(t.content(), t.id());
        String name = file.getFileName().toString();
        ByteLevelBpe bpe;
        try {
            bpe = ByteLevelVocab.build(name, vocab, merges, preTokenizer, added, ignoreMerges);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(file, "model." + e.getMessage(), e);
        }
        BoundaryTokens boundary = HfBoundaryTokens.read(r, root.get("post_processor"), config, text -> {
            Integer id = added.containsKey(text) ? added.get(text) : vocab.get(text);
            return id == null ? -1 : id;
        });
        return new HfTokenizer(bpe, nfc, addedTokens, config, boundary);
    }

    private static JsonNode readTree(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            JsonNode root = new ObjectMapper().readTree(in);
            if (root == null) throw new TokenizerFormatException(file, 0, "the file is empty");
            return root;
        } catch (IOException e) {
            throw new TokenizerFormatException(file, "cannot read tokenizer.json: " + e.getMessage(), e);
        }
    }
}
