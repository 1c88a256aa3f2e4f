package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code tokenizer_config.json} says about sequence boundaries: the BOS and EOS token texts (null when not set)
 * and whether BOS is added in front of encoded text. Nothing here adds tokens; callers decide.
 */
public record HfTokenizerConfig(String bosToken, String eosToken, boolean addBosToken, boolean addEosToken) {
    public static final HfTokenizerConfig NONE = new HfTokenizerConfig(null, null, false, false);

    /** Reads the file; a missing file gives {@link #NONE}. */
    public static HfTokenizerConfig read(Path file) {
        if (!Files.isRegularFile(file)) return NONE;
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new TokenizerFormatException(file, "cannot read tokenizer_config.json: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new TokenizerFormatException(file, 0, "expected a JSON object");
        return new HfTokenizerConfig(tokenText(file, root, "bos_token"), tokenText(file, root, "eos_token"),
                flag(file, root, "add_bos_token"), flag(file, root, "add_eos_token"));
    }

    /** A token is either a string or an object with a {@code content} string (AddedToken form). */
    private static String tokenText(Path file, JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isObject() && n.path("content").isTextual()) return n.get("content").asText();
        throw new TokenizerFormatException(file, 0, field + " must be a string or an object with a \"content\" string");
    }

    private static boolean flag(Path file, JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return false;
        if (!n.isBoolean()) throw new TokenizerFormatException(file, 0, field + " must be true or false");
        return n.asBoolean();
    }
}
