package ai.tarka.cli.tokenizer;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.hf.HfAddedToken;
import ai.tarka.tokenizers.hf.HfTokenizer;
import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer;
import ai.tarka.tokenizers.wordpiece.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The human-readable summary {@code tarka tokenizer info} prints for a loaded tokenizer. */
final class TokenizerInfo {
    private TokenizerInfo() {}

    static String describe(TextTokenizer tokenizer) {
        StringBuilder sb = new StringBuilder();
        switch (tokenizer) {
            case HfTokenizer hf -> {
                line(sb, "format", "Hugging Face tokenizer.json (byte-level BPE)");
                line(sb, "vocabulary size", Integer.toString(hf.bpe().vocabularySize()));
                line(sb, "normalizer", hf.nfc() ? "NFC" : "none");
                line(sb, "pre-tokenizer", preTokenizer(hf.bpe().preTokenizerPattern()));
                List<HfAddedToken> added = new ArrayList<>(hf.addedTokens());
                added.sort((a, b) -> Integer.compare(a.id(), b.id()));
                line(sb, "added tokens", Integer.toString(added.size()));
                for (HfAddedToken t : added) {
                    sb.append(String.format("  %7d  %s%s%n", t.id(), t.content(), t.special() ? "  (special)" : ""));
                }
                line(sb, "bos", token(hf.config().bosToken(), hf.bosId()));
                line(sb, "eos", token(hf.config().eosToken(), hf.eosId()));
                line(sb, "add_bos_token", Boolean.toString(hf.config().addBosToken()));
            }
            case ByteLevelBpe bpe -> {
                line(sb, "format", "byte-level BPE (" + bpe.name() + ")");
                line(sb, "vocabulary size", Integer.toString(bpe.vocabularySize()));
                line(sb, "pre-tokenizer", preTokenizer(bpe.preTokenizerPattern()));
                List<Map.Entry<String, Integer>> specials = new ArrayList<>(bpe.specialTokens().ids().entrySet());
                specials.sort(Map.Entry.comparingByValue());
                line(sb, "special tokens", Integer.toString(specials.size()));
                for (Map.Entry<String, Integer> e : specials) sb.append(String.format("  %7d  %s%n", e.getValue(), e.getKey()));
            }
            case SentencePieceBpeTokenizer spm -> {
                line(sb, "format", "GGUF SentencePiece BPE");
                line(sb, "vocabulary size", Integer.toString(spm.vocabSize()));
                line(sb, "pre-tokenizer", "SentencePiece (spaces as \u2581, dummy prefix; no regex)");
            }
            case WordPieceTokenizer wp -> {
                line(sb, "format", "GGUF WordPiece");
                line(sb, "vocabulary size", Integer.toString(wp.vocabSize()));
                line(sb, "pre-tokenizer", "BERT basic (whitespace and punctuation)");
                line(sb, "unknown token id", Integer.toString(wp.unknownId()));
            }
            case ai.tarka.tokenizers.chars.CharTokenizer chars -> {
                line(sb, "format", "character-level (tokenizer.json WordLevel over single characters)");
                line(sb, "vocabulary size", Integer.toString(chars.vocabSize()));
                line(sb, "pre-tokenizer", "every character is a token");
            }
            default -> line(sb, "format", tokenizer.getClass().getSimpleName());
        }
        ai.tarka.tokenizers.BoundaryTokens b = tokenizer.boundaryTokens();
        line(sb, "--add-special", b.isEmpty() ? "adds nothing"
                : "adds " + java.util.Arrays.toString(b.prefix()) + " in front, " + java.util.Arrays.toString(b.suffix()) + " at the end");
        return sb.toString();
    }

    private static String preTokenizer(String pattern) {
        if (pattern.equals(PreTokenizerPatterns.GPT2)) return "GPT-2 regex";
        if (pattern.equals(PreTokenizerPatterns.CL100K)) return "cl100k / Llama 3 regex";
        if (pattern.equals(PreTokenizerPatterns.QWEN2)) return "Qwen2 regex";
        if (pattern.equals(PreTokenizerPatterns.O200K)) return "o200k regex";
        return "regex " + pattern;
    }

    private static String token(String text, int id) {
        if (text == null) return "none";
        return id < 0 ? text + " (not an added token)" : text + " (id " + id + ")";
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format("%-16s %s%n", key + ":", value));
    }
}
