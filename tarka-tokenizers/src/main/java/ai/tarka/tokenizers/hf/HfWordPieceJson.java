package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.BoundaryTokens;
import ai.tarka.tokenizers.bpe.SpecialTokens;
import ai.tarka.tokenizers.wordpiece.WordPieceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code tokenizer.json} with a {@code WordPiece} model as BERT writes it: {@code BertNormalizer} (clean text, Chinese
 * characters apart, lowercase with accents stripped or neither), {@code BertPreTokenizer}, {@code ##} continuations,
 * 100 characters per word at most. It runs on {@link WordPieceTokenizer}; added tokens are matched in raw text by
 * {@code encode} and are plain text to {@code encodeOrdinary}; [CLS]/[SEP] come from the {@code post_processor}.
 */
final class HfWordPieceJson {
    private HfWordPieceJson() {}

    static WordPieceTokenizer build(HfJsonReader r, JsonNode root, HfTokenizerConfig config) {
        JsonNode model = r.object(root, "model");
        Map<String, Integer> vocab = r.vocab(r.object(model, "model", "vocab"));
        String prefix = model.path("continuing_subword_prefix").asText("##");
        if (!prefix.equals("##")) throw r.error("model.continuing_subword_prefix", "\"" + prefix + "\" is not supported (only \"##\")");
        int maxChars = model.path("max_input_chars_per_word").asInt(WordPieceTokenizer.MAX_WORD_CHARS);
        if (maxChars != WordPieceTokenizer.MAX_WORD_CHARS)
            throw r.error("model.max_input_chars_per_word", maxChars + " is not supported (only " + WordPieceTokenizer.MAX_WORD_CHARS + ")");
        boolean uncased = normalizer(r, root.get("normalizer"));
        JsonNode pre = root.get("pre_tokenizer");
        String preType = pre == null || pre.isNull() ? "none" : pre.path("type").asText("");
        if (!preType.equals("BertPreTokenizer")) throw r.error("pre_tokenizer.type", "\"" + preType + "\" is not supported for WordPiece (only BertPreTokenizer)");
        List<HfAddedToken> added = r.addedTokens(root.get("added_tokens"));
        int size = 0;
        for (int id : vocab.values()) size = Math.max(size, id + 1);
        for (HfAddedToken t : added) size = Math.max(size, t.id() + 1);
        String[] tokens = new String[size];
        Arrays.fill(tokens, "");
        for (Map.Entry<String, Integer> e : vocab.entrySet()) tokens[e.getValue()] = e.getKey();
        boolean[] skip = new boolean[size];
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (HfAddedToken t : added) {
            tokens[t.id()] = t.content();
            skip[t.id()] = t.special();
            specials.put(t.content(), t.id());
        }
        String unkText = model.path("unk_token").asText("[UNK]");
        Integer unk = vocab.get(unkText);
        if (unk == null) throw r.error("model.unk_token", "\"" + unkText + "\" is not in model.vocab");
        BoundaryTokens boundary = HfBoundaryTokens.read(r, root.get("post_processor"), config, text -> {
            Integer id = specials.containsKey(text) ? specials.get(text) : vocab.get(text);
            return id == null ? -1 : id;
        });
        try {
            return new WordPieceTokenizer(new ArrayList<>(Arrays.asList(tokens)), skip, WordPieceTokenizer.Spelling.HF_CONTINUATION_HASHES,
                    unk, uncased, new SpecialTokens(specials), boundary);
        } catch (IllegalArgumentException e) {
            throw r.error("model", e.getMessage());
        }
    }

    /** True for the uncased BERT normaliser (lowercase + strip accents), false for the cased one. */
    private static boolean normalizer(HfJsonReader r, JsonNode n) {
        if (n == null || n.isNull()) throw r.error("normalizer", "missing; WordPiece needs a BertNormalizer");
        String type = n.path("type").asText("");
        if (!type.equals("BertNormalizer")) throw r.error("normalizer.type", "\"" + type + "\" is not supported for WordPiece (only BertNormalizer)");
        if (!n.path("clean_text").asBoolean(true)) throw r.error("normalizer.clean_text", "false is not supported");
        if (!n.path("handle_chinese_chars").asBoolean(true)) throw r.error("normalizer.handle_chinese_chars", "false is not supported");
        boolean lowercase = n.path("lowercase").asBoolean(true);
        JsonNode strip = n.get("strip_accents");
        boolean stripAccents = strip == null || strip.isNull() ? lowercase : strip.asBoolean();
        if (stripAccents != lowercase)
            throw r.error("normalizer.strip_accents", stripAccents + " with lowercase " + lowercase + " is not supported (both or neither)");
        return lowercase;
    }
}
