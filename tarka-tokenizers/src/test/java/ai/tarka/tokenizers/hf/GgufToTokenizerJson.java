package ai.tarka.tokenizers.hf;

import ai.tarka.formats.gguf.GgufFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: the {@code tokenizer.json} Hugging Face's converters would write for a llama.cpp GGUF vocabulary, so that
 * the tokenizer.json loaders can be checked against the GGUF loaders and llama.cpp's expected ids.
 */
final class GgufToTokenizerJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int NORMAL = 1, CONTROL = 3, USER_DEFINED = 4, BYTE = 6;

    private GgufToTokenizerJson() {}

    /**
     * SentencePiece BPE (tokenizer.ggml.model "llama"): merges for every split of every normal piece into two normal
     * pieces, ordered by the piece's score (highest first), as Hugging Face's SentencePiece converter orders them.
     *
     * The normaliser is Llama 2's Prepend+Replace.
     */
    static ObjectNode sentencePiece(GgufFile gguf) {
        String[] tokens = gguf.getStringArray("tokenizer.ggml.tokens");
        float[] scores = gguf.getFloatArray("tokenizer.ggml.scores");
        int[] types = gguf.getIntArray("tokenizer.ggml.token_type");
        Map<String, Integer> normal = new HashMap<>();
        for (int id = 0; id < tokens.length; id++) if (types[id] == NORMAL) normal.putIfAbsent(tokens[id], id);
        List<int[]> merges = new ArrayList<>(); // {merged, left, right}
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] != NORMAL) continue;
            String t = tokens[id];
            for (int k = t.offsetByCodePoints(0, 1); k < t.length(); k += Character.charCount(t.codePointAt(k))) {
                Integer l = normal.get(t.substring(0, k)), r = normal.get(t.substring(k));
                if (l != null && r != null) merges.add(new int[] {id, l, r});
            }
        }
        merges.sort((a, b) -> scores[a[0]] != scores[b[0]] ? Float.compare(scores[b[0]], scores[a[0]])
                : a[0] != b[0] ? Integer.compare(a[0], b[0]) : a[1] != b[1] ? Integer.compare(a[1], b[1]) : Integer.compare(a[2], b[2]));
        ObjectNode root = F.objectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] == NORMAL || types[id] == BYTE) continue;
            ObjectNode a = added.addObject();
            a.put("id", id);
            a.put("content", tokens[id]);
            a.put("single_word", false).put("lstrip", false).put("rstrip", false).put("normalized", false);
            a.put("special", types[id] != USER_DEFINED);
        }
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "Sequence");
        ArrayNode steps = norm.putArray("normalizers");
        steps.addObject().put("type", "Prepend").put("prepend", "\u2581");
        ObjectNode replace = steps.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", "\u2581");
        root.putNull("pre_tokenizer");
        int bos = gguf.getInt("tokenizer.ggml.bos_token_id");
        root.set("post_processor", template(tokens[bos], bos, null, -1));
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "Sequence");
        ArrayNode dec = decoder.putArray("decoders");
        ObjectNode rep = dec.addObject().put("type", "Replace");
        rep.putObject("pattern").put("String", "\u2581");
        rep.put("content", " ");
        dec.addObject().put("type", "ByteFallback");
        dec.addObject().put("type", "Fuse");
        dec.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", tokens[gguf.getInt("tokenizer.ggml.unknown_token_id")]);
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.length; id++) vocab.put(tokens[id], id);
        ArrayNode m = model.putArray("merges");
        for (int[] e : merges) m.addArray().add(tokens[e[1]]).add(tokens[e[2]]);
        return root;
    }

    /** The same SentencePiece file in the newer spelling: no normaliser, a Metaspace pre-tokenizer with {@code scheme}. */
    static ObjectNode withMetaspace(ObjectNode sentencePiece, String scheme) {
        ObjectNode root = sentencePiece.deepCopy();
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Metaspace");
        pre.put("replacement", "\u2581");
        pre.put("prepend_scheme", scheme);
        pre.put("split", false);
        return root;
    }

    /** WordPiece (tokenizer.ggml.model "bert"): GGUF's "▁word" / "piece" spelling back to "word" / "##piece". */
    static ObjectNode wordPiece(GgufFile gguf) {
        String[] tokens = gguf.getStringArray("tokenizer.ggml.tokens");
        int[] types = gguf.getIntArray("tokenizer.ggml.token_type");
        ObjectNode root = F.objectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode vocab = F.objectNode();
        for (int id = 0; id < tokens.length; id++) {
            String t = tokens[id];
            String hf = types[id] == CONTROL ? t : t.startsWith("\u2581") ? t.substring(1) : "##" + t;
            if (!vocab.has(hf)) vocab.put(hf, id);
            if (types[id] == CONTROL && (t.equals("[CLS]") || t.equals("[SEP]") || t.equals("[PAD]") || t.equals("[MASK]") || t.equals("[UNK]"))) {
                added.addObject().put("id", id).put("content", t).put("single_word", false).put("lstrip", false)
                        .put("rstrip", false).put("normalized", false).put("special", true);
            }
        }
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "BertNormalizer").put("clean_text", true).put("handle_chinese_chars", true).putNull("strip_accents");
        norm.put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        int cls = gguf.getInt("tokenizer.ggml.cls_token_id"), sep = gguf.getInt("tokenizer.ggml.seperator_token_id");
        root.set("post_processor", template(tokens[cls], cls, tokens[sep], sep));
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", tokens[gguf.getInt("tokenizer.ggml.unknown_token_id")]);
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        model.set("vocab", vocab);
        return root;
    }

    /** TemplateProcessing: {@code first $A [last]}. */
    private static ObjectNode template(String first, int firstId, String last, int lastId) {
        ObjectNode p = F.objectNode();
        p.put("type", "TemplateProcessing");
        ArrayNode single = p.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", first).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        if (last != null) single.addObject().putObject("SpecialToken").put("id", last).put("type_id", 0);
        ArrayNode pair = p.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", first).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode specials = p.putObject("special_tokens");
        ObjectNode f = specials.putObject(first);
        f.put("id", first);
        f.putArray("ids").add(firstId);
        f.putArray("tokens").add(first);
        if (last != null) {
            ObjectNode l = specials.putObject(last);
            l.put("id", last);
            l.putArray("ids").add(lastId);
            l.putArray("tokens").add(last);
        }
        return p;
    }

    static Path write(ObjectNode root, Path file) throws IOException {
        // via a String: Jackson's UTF-8 writer splits surrogate pairs in field names (vocab keys such as "𝐀")
        java.nio.file.Files.writeString(file, new ObjectMapper().writeValueAsString(root));
        return file;
    }
}
