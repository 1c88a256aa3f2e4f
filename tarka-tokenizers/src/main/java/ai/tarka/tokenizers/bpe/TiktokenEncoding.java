package ai.tarka.tokenizers.bpe;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/** The published tiktoken encodings: rank file name, pre-tokenizer pattern and special tokens of each. */
public enum TiktokenEncoding {
    R50K_BASE("r50k_base", PreTokenizerPatterns.GPT2_PATTERN, Map.of("<|endoftext|>", 50256)),
    CL100K_BASE("cl100k_base", PreTokenizerPatterns.CL100K_PATTERN, Map.of(
            "<|endoftext|>", 100257, "<|fim_prefix|>", 100258, "<|fim_middle|>", 100259,
            "<|fim_suffix|>", 100260, "<|endofprompt|>", 100276)),
    O200K_BASE("o200k_base", PreTokenizerPatterns.O200K_PATTERN, Map.of("<|endoftext|>", 199999, "<|endofprompt|>", 200018));

    private final String fileStem;
    private final Pattern preTokenizer;
    private final Map<String, Integer> specials;

    TiktokenEncoding(String fileStem, Pattern preTokenizer, Map<String, Integer> specials) {
        this.fileStem = fileStem;
        this.preTokenizer = preTokenizer;
        this.specials = specials;
    }

    /** The rank file's usual name, e.g. {@code r50k_base.tiktoken}. */
    public String fileName() {
        return fileStem + ".tiktoken";
    }

    public Pattern preTokenizer() {
        return preTokenizer;
    }

    public Map<String, Integer> specialTokens() {
        return specials;
    }

    public ByteLevelBpe load(Path rankFile) {
        return TiktokenLoader.load(fileStem, rankFile, preTokenizer, specials);
    }
}
