package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import ai.tarka.tokenizers.bpe.ByteLevelVocab;
import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Field access that names the file and JSON path in every error. */
record HfJsonReader(Path file) {
    TokenizerFormatException error(String path, String problem) {
        return new TokenizerFormatException(file, 0, path + ": " + problem);
    }

    JsonNode object(JsonNode parent, String field) {
        return object(parent, "", field);
    }

    JsonNode object(JsonNode parent, String at, String field) {
        JsonNode n = parent.get(field);
        String path = at.isEmpty() ? field : at + "." + field;
        if (n == null || n.isNull()) throw error(path, "missing");
        if (!n.isObject()) throw error(path, "expected an object");
        return n;
    }

    JsonNode array(JsonNode parent, String at, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) throw error(at + "." + field, "missing");
        if (!n.isArray()) throw error(at + "." + field, "expected an array");
        return n;
    }

    String text(JsonNode parent, String at, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) throw error(at + "." + field, "missing");
        if (!n.isTextual()) throw error(at + "." + field, "expected a string");
        return n.asText();
    }

    Map<String, Integer> vocab(JsonNode vocab) {
        Map<String, Integer> out = new HashMap<>(vocab.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode id = e.getValue();
            if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0) {
                throw error("model.vocab[\"" + e.getKey() + "\"]", "expected a non-negative integer id, got " + id);
            }
            out.put(e.getKey(), id.asInt());
        }
        return out;
    }

    /** Merges are either {@code "left right"} strings (older files) or {@code ["left", "right"]} pairs. */
    List<ByteLevelVocab.Merge> merges(JsonNode merges) {
        List<ByteLevelVocab.Merge> out = new ArrayList<>(merges.size());
        for (int i = 0; i < merges.size(); i++) {
            JsonNode m = merges.get(i);
            if (m.isTextual()) {
                String s = m.asText();
                int space = s.indexOf(' ');
                if (space <= 0 || space == s.length() - 1 || s.indexOf(' ', space + 1) >= 0) {
                    throw error("model.merges[" + i + "]", "expected \"left right\", got \"" + s + "\"");
                }
                out.add(new ByteLevelVocab.Merge(s.substring(0, space), s.substring(space + 1)));
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                out.add(new ByteLevelVocab.Merge(m.get(0).asText(), m.get(1).asText()));
            } else {
                throw error("model.merges[" + i + "]", "expected \"left right\" or [\"left\", \"right\"], got " + m);
            }
        }
        return out;
    }

    boolean normalizer(JsonNode n) {
        if (n == null || n.isNull()) return false;
        String type = n.path("type").asText("");
        if (type.equals("NFC")) return true;
        throw error("normalizer.type", "\"" + type + "\" is not supported yet (only none or \"NFC\")");
    }

    Pattern preTokenizer(JsonNode n) {
        if (n == null || n.isNull()) throw error("pre_tokenizer", "missing; byte-level BPE needs a ByteLevel pre-tokenizer");
        String type = n.path("type").asText("");
        if (type.equals("ByteLevel")) {
            byteLevel(n, "pre_tokenizer");
            if (!n.path("use_regex").asBoolean(true)) throw error("pre_tokenizer.use_regex", "false with no Split before it leaves no way to split text");
            return PreTokenizerPatterns.GPT2_PATTERN;
        }
        if (!type.equals("Sequence")) throw error("pre_tokenizer.type", "\"" + type + "\" is not supported yet (only \"ByteLevel\" or \"Sequence\")");
        JsonNode steps = array(n, "pre_tokenizer", "pretokenizers");
        Pattern split = null;
        boolean byteLevel = false;
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String at = "pre_tokenizer.pretokenizers[" + i + "]";
            String stepType = step.path("type").asText("");
            if (stepType.equals("Split") && split == null && !byteLevel) {
                split = split(step, at);
            } else if (stepType.equals("ByteLevel") && !byteLevel) {
                byteLevel(step, at);
                boolean useRegex = step.path("use_regex").asBoolean(true);
                if (split == null && useRegex) split = PreTokenizerPatterns.GPT2_PATTERN;
                else if (useRegex) throw error(at + ".use_regex", "true after a Split (two regex passes) is not supported yet");
                byteLevel = true;
            } else {
                throw error(at + ".type", "\"" + stepType + "\" is not supported yet here (only one Split with a Regex, then ByteLevel)");
            }
        }
        if (!byteLevel) throw error("pre_tokenizer.pretokenizers", "has no ByteLevel step; only byte-level BPE is supported");
        if (split == null) throw error("pre_tokenizer.pretokenizers", "has no Split with a Regex and its ByteLevel does not use a regex");
        return split;
    }

    private void byteLevel(JsonNode n, String at) {
        if (n.path("add_prefix_space").asBoolean(false)) throw error(at + ".add_prefix_space", "true is not supported yet");
    }

    private Pattern split(JsonNode step, String at) {
        JsonNode pattern = object(step, at, "pattern");
        JsonNode regex = pattern.get("Regex");
        if (regex == null || !regex.isTextual()) throw error(at + ".pattern", "only {\"Regex\": ...} patterns are supported yet, got " + pattern);
        String behavior = step.path("behavior").asText("");
        if (!behavior.equals("Isolated")) throw error(at + ".behavior", "\"" + behavior + "\" is not supported yet (only \"Isolated\")");
        if (step.path("invert").asBoolean(false)) throw error(at + ".invert", "true is not supported yet");
        try {
            return HfRegex.compile(regex.asText());
        } catch (PatternSyntaxException e) {
            throw error(at + ".pattern.Regex", "cannot compile for Java: " + e.getDescription());
        }
    }

    void decoder(JsonNode n) {
        if (n == null || n.isNull()) return; // decoding is byte-level either way
        String type = n.path("type").asText("");
        if (!type.equals("ByteLevel")) throw error("decoder.type", "\"" + type + "\" is not supported yet (only \"ByteLevel\")");
    }

    /** Every added token (special or not) is matched in raw text, as Hugging Face does. */
    List<HfAddedToken> addedTokens(JsonNode n) {
        List<HfAddedToken> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) throw error("added_tokens", "expected an array");
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            String at = "added_tokens[" + i + "]";
            String content = text(t, at, "content");
            JsonNode id = t.get("id");
            if (id == null || !id.isIntegralNumber() || id.asInt() < 0) throw error(at + ".id", "expected a non-negative integer");
            if (content.isEmpty()) throw error(at + ".content", "is empty");
            out.add(new HfAddedToken(id.asInt(), content, t.path("special").asBoolean(false)));
        }
        return out;
    }
}
