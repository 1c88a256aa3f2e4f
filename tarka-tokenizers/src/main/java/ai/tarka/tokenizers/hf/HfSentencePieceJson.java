package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.BoundaryTokens;
import ai.tarka.tokenizers.bpe.ByteLevelVocab;
import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer;
import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer.SpacePrefix;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@code tokenizer.json} whose {@code BPE} model is SentencePiece BPE as Llama 2, Mistral and Phi-3 write it: spaces
 * become {@code ▁} through a {@code Prepend}+{@code Replace} normaliser (older files) or a {@code Metaspace}
 * pre-tokenizer with {@code split: false} (newer ones), and {@code byte_fallback} maps unknown characters to
 * {@code <0xNN>} tokens. It runs on {@link SentencePieceBpeTokenizer}: a piece's score is minus the rank of the first
 * merge that produces it, and pieces no merge produces are never merged into. Added tokens are cut out of the text:
 * special ones as control tokens (recognised by {@code encode}, plain text to {@code encodeOrdinary}), the others as
 * user-defined tokens (always). Their {@code lstrip}/{@code rstrip} flags are not applied.
 */
final class HfSentencePieceJson {
    private static final String SPACE_MARK = "\u2581";

    private HfSentencePieceJson() {}

    /** Whether a BPE tokenizer.json is of the SentencePiece kind rather than byte-level. */
    static boolean isSentencePiece(JsonNode root) {
        JsonNode model = root.path("model");
        if (model.path("byte_fallback").asBoolean(false)) return true;
        if (root.path("pre_tokenizer").path("type").asText("").equals("Metaspace")) return true;
        JsonNode norm = root.path("normalizer");
        return norm.path("type").asText("").equals("Sequence") && norm.path("normalizers").toString().contains("\"Prepend\"");
    }

    static SentencePieceBpeTokenizer build(HfJsonReader r, JsonNode root, HfTokenizerConfig config) {
        JsonNode model = r.object(root, "model");
        Map<String, Integer> vocab = r.vocab(r.object(model, "model", "vocab"));
        List<ByteLevelVocab.Merge> merges = r.merges(r.array(model, "model", "merges"));
        List<HfAddedToken> added = r.addedTokens(root.get("added_tokens"));
        int size = 0;
        for (int id : vocab.values()) size = Math.max(size, id + 1);
        for (HfAddedToken t : added) size = Math.max(size, t.id() + 1);
        String[] tokens = new String[size];
        Arrays.fill(tokens, "");
        float[] scores = new float[size];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        int[] types = new int[size];
        Arrays.fill(types, SentencePieceBpeTokenizer.TYPE_UNUSED);
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            tokens[id] = e.getKey();
            types[id] = byteFallback && isByteToken(e.getKey()) ? SentencePieceBpeTokenizer.TYPE_BYTE : SentencePieceBpeTokenizer.TYPE_NORMAL;
        }
        for (int rank = 0; rank < merges.size(); rank++) {
            ByteLevelVocab.Merge m = merges.get(rank);
            Integer left = vocab.get(m.left()), right = vocab.get(m.right());
            Integer merged = vocab.get(m.left() + m.right());
            if (left == null || right == null || merged == null) {
                throw r.error("model.merges[" + rank + "]", "\"" + m.left() + " " + m.right() + "\" names a token that is not in model.vocab");
            }
            if (scores[merged] == Float.NEGATIVE_INFINITY) scores[merged] = -rank;
        }
        for (HfAddedToken t : added) {
            if (!tokens[t.id()].isEmpty() && !tokens[t.id()].equals(t.content()))
                throw r.error("added_tokens", "token id " + t.id() + " is \"" + t.content() + "\" but model.vocab has \"" + tokens[t.id()] + "\" there");
            tokens[t.id()] = t.content();
            types[t.id()] = t.special() ? SentencePieceBpeTokenizer.TYPE_CONTROL : SentencePieceBpeTokenizer.TYPE_USER_DEFINED;
        }
        int unk = 0;
        JsonNode unkToken = model.get("unk_token");
        if (unkToken != null && unkToken.isTextual()) {
            Integer id = vocab.get(unkToken.asText());
            if (id == null) throw r.error("model.unk_token", "\"" + unkToken.asText() + "\" is not in model.vocab");
            unk = id;
            if (types[unk] != SentencePieceBpeTokenizer.TYPE_CONTROL) types[unk] = SentencePieceBpeTokenizer.TYPE_UNKNOWN;
        }
        SpacePrefix prefix = spacePrefix(r, root.get("normalizer"), root.get("pre_tokenizer"));
        BoundaryTokens boundary = HfBoundaryTokens.read(r, root.get("post_processor"), config, text -> {
            for (HfAddedToken t : added) if (t.content().equals(text)) return t.id();
            Integer id = vocab.get(text);
            return id == null ? -1 : id;
        });
        try {
            return new SentencePieceBpeTokenizer(tokens, scores, types, unk, prefix, boundary);
        } catch (IllegalArgumentException e) {
            throw r.error("model", e.getMessage());
        }
    }

    private static boolean isByteToken(String t) {
        return t.length() == 6 && t.startsWith("<0x") && t.charAt(5) == '>';
    }

    /** Checks the normaliser and pre-tokenizer are one of the two SentencePiece spellings; returns where ▁ is put in front. */
    private static SpacePrefix spacePrefix(HfJsonReader r, JsonNode normalizer, JsonNode preTokenizer) {
        boolean prepend = false, replace = false;
        if (normalizer != null && !normalizer.isNull()) {
            String type = normalizer.path("type").asText("");
            JsonNode steps = type.equals("Sequence") ? r.array(normalizer, "normalizer", "normalizers") : null;
            int count = steps == null ? 1 : steps.size();
            for (int i = 0; i < count; i++) {
                JsonNode step = steps == null ? normalizer : steps.get(i);
                String at = steps == null ? "normalizer" : "normalizer.normalizers[" + i + "]";
                String stepType = step.path("type").asText("");
                if (stepType.equals("Prepend") && step.path("prepend").asText("").equals(SPACE_MARK) && !replace) {
                    prepend = true;
                } else if (stepType.equals("Replace") && step.path("pattern").path("String").asText("").equals(" ")
                        && step.path("content").asText("").equals(SPACE_MARK)) {
                    replace = true;
                } else {
                    throw r.error(at + ".type", "\"" + stepType + "\" " + step + " is not supported in a SentencePiece BPE file "
                            + "(only Prepend \"▁\" then Replace \" \" with \"▁\")");
                }
            }
        }
        if (preTokenizer == null || preTokenizer.isNull()) {
            if (!replace) throw r.error("normalizer", "a SentencePiece BPE file without a Metaspace pre-tokenizer needs Replace \" \" with \"▁\"");
            return prepend ? SpacePrefix.EVERY_SEGMENT : SpacePrefix.NONE;
        }
        String type = preTokenizer.path("type").asText("");
        if (!type.equals("Metaspace")) throw r.error("pre_tokenizer.type", "\"" + type + "\" is not supported in a SentencePiece BPE file (only Metaspace or none)");
        if (prepend) throw r.error("normalizer", "Prepend \"▁\" together with a Metaspace pre-tokenizer would put ▁ in front twice");
        if (!preTokenizer.path("replacement").asText(SPACE_MARK).equals(SPACE_MARK))
            throw r.error("pre_tokenizer.replacement", "only \"▁\" is supported");
        if (preTokenizer.path("split").asBoolean(true))
            throw r.error("pre_tokenizer.split", "true (split at every ▁ before merging) is not supported; SentencePiece BPE files use false");
        JsonNode scheme = preTokenizer.get("prepend_scheme");
        String s = scheme != null && scheme.isTextual() ? scheme.asText()
                : preTokenizer.path("add_prefix_space").asBoolean(true) ? "always" : "never";
        return switch (s) {
            case "always" -> SpacePrefix.EVERY_SEGMENT_UNLESS_SPACE;
            case "first" -> SpacePrefix.FIRST_SEGMENT_UNLESS_SPACE;
            case "never" -> SpacePrefix.NONE;
            default -> throw r.error("pre_tokenizer.prepend_scheme", "\"" + s + "\" is not one of always, first, never");
        };
    }
}
