package ai.tarka.tokenizers;

import java.util.regex.Pattern;

/** The pre-tokenizer regular expressions of the byte-level BPE families, compiled once. */
public final class PreTokenizerPatterns {
    private PreTokenizerPatterns() {}

    /** GPT-2 / r50k_base (also what the CS336 BPE fixtures use). */
    public static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    public static final Pattern GPT2_PATTERN = Pattern.compile(GPT2, Pattern.UNICODE_CHARACTER_CLASS);
}
