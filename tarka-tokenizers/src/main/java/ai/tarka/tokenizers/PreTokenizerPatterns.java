package ai.tarka.tokenizers;

import java.util.regex.Pattern;

/**
 * The pre-tokenizer regular expressions of the byte-level BPE families, compiled once. All are compiled with
 * {@link Pattern#UNICODE_CHARACTER_CLASS} so that {@code \s} is Unicode White_Space (as in Rust's and Python's
 * {@code regex}) rather than ASCII whitespace. The cl100k/o200k spellings are the ones of npm tiktoken 1.0.22, which
 * produced the shared expected encodings (no possessive quantifiers, no {@code \s++$} branch).
 */
public final class PreTokenizerPatterns {
    private PreTokenizerPatterns() {}

    /** GPT-2 / r50k_base (also what the CS336 BPE fixtures use). */
    public static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** cl100k_base (GPT-3.5/4; the Llama 3 family uses the same shape). */
    public static final String CL100K = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen2 / Qwen2.5 / Qwen3: cl100k's pattern with single digits instead of runs of up to three. */
    public static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** o200k_base (GPT-4o). */
    public static final String O200K = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    public static final Pattern GPT2_PATTERN = compile(GPT2);
    public static final Pattern CL100K_PATTERN = compile(CL100K);
    public static final Pattern O200K_PATTERN = compile(O200K);
    public static final Pattern QWEN2_PATTERN = compile(QWEN2);

    /** Compiles a pre-tokenizer pattern with Unicode character classes. */
    public static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    }
}
