package ai.tarka.tokenizers.bpe;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a {@link ByteLevelBpe} from the tokenizer stored in a llama.cpp GGUF whose {@code tokenizer.ggml.model} is
 * "gpt2": token strings in GPT-2's byte-to-unicode spelling, "left right" merges in rank order, and token types, of
 * which control tokens (such as {@code <|endoftext|>}) become special tokens.
 */
public final class GgufBpeLoader {
    /** llama.cpp's token type of control tokens (tokenizer.ggml.token_type). */
    private static final int TYPE_CONTROL = 3;

    private GgufBpeLoader() {}

    public static ByteLevelBpe load(GgufFile gguf) {
        String source = gguf.source();
        String model = gguf.getString("tokenizer.ggml.model");
        if (!model.equals("gpt2"))
            throw new IllegalArgumentException(source + ": tokenizer.ggml.model is '" + model + "', byte-level BPE needs 'gpt2'");
        Pattern preTokenizer = preTokenizer(source, gguf.getString("tokenizer.ggml.pre", "default"));
        String[] tokens = gguf.getStringArray("tokenizer.ggml.tokens");
        int[] types = gguf.has("tokenizer.ggml.token_type") ? gguf.getIntArray("tokenizer.ggml.token_type") : new int[tokens.length];
        if (types.length != tokens.length)
            throw new IllegalArgumentException(source + ": " + tokens.length + " tokens but " + types.length + " token types");
        Map<String, Integer> vocab = new HashMap<>(tokens.length * 2);
        Map<String, Integer> specials = new HashMap<>();
        for (int id = 0; id < tokens.length; id++) {
            // the first id wins where a string repeats, as llama.cpp's token-to-id map does
            vocab.putIfAbsent(tokens[id], id);
            if (types[id] == TYPE_CONTROL && !tokens[id].isEmpty()) specials.putIfAbsent(tokens[id], id);
        }
        String[] mergeLines = gguf.getStringArray("tokenizer.ggml.merges");
        List<ByteLevelVocab.Merge> merges = new ArrayList<>(mergeLines.length);
        for (int i = 0; i < mergeLines.length; i++) {
            String line = mergeLines[i];
            // the byte-to-unicode spelling has no raw space, so exactly one space separates the two parts
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0)
                throw new IllegalArgumentException(source + ": tokenizer.ggml.merges[" + i + "] is '" + line + "', expected 'left right'");
            merges.add(new ByteLevelVocab.Merge(line.substring(0, space), line.substring(space + 1)));
        }
        // llama.cpp adds no BOS/EOS to BPE vocabularies unless the file says so
        ai.tarka.tokenizers.BoundaryTokens boundary = ai.tarka.tokenizers.BoundaryTokens.of(
                gguf.getInt("tokenizer.ggml.bos_token_id", -1), gguf.getBoolean("tokenizer.ggml.add_bos_token", false),
                gguf.getInt("tokenizer.ggml.eos_token_id", -1), gguf.getBoolean("tokenizer.ggml.add_eos_token", false));
        try {
            return ByteLevelVocab.build(gguf.getString("general.name", model), vocab, merges, preTokenizer, specials, false)
                    .withBoundaryTokens(boundary);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The pre-tokenizer regex of a {@code tokenizer.ggml.pre} name: GPT-2's, Llama 3's (cl100k's pattern, which
     * llama.cpp spells with explicit case pairs instead of {@code (?i:...)}) or Qwen2's (single digits).
     */
    static Pattern preTokenizer(String source, String pre) {
        return switch (pre) {
            case "gpt-2", "default" -> PreTokenizerPatterns.GPT2_PATTERN;
            case "llama-bpe", "llama3", "llama-v3" -> PreTokenizerPatterns.CL100K_PATTERN;
            case "qwen2" -> PreTokenizerPatterns.QWEN2_PATTERN;
            default -> throw new IllegalArgumentException(source + ": tokenizer.ggml.pre '" + pre
                    + "' is not supported (known: 'gpt-2', 'default', 'llama-bpe', 'qwen2')");
        };
    }
}
