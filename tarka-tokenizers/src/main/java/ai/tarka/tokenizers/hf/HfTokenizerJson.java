package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.bpe.ByteLevelVocab;
import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.zip.GZIPInputStream;

/**
 * Reads a Hugging Face {@code tokenizer.json} (plain or gzipped, told apart by the gzip magic bytes) for byte-level
 * BPE models of the GPT-2 / Llama 3 / Qwen2-3 kind. Supported: {@code model.type "BPE"}; {@code normalizer} absent or
 * {@code NFC}; {@code pre_tokenizer} {@code ByteLevel} (GPT-2's regex when {@code use_regex}) or a {@code Sequence} of
 * one {@code Split} with a {@code Regex} pattern (behaviour {@code Isolated}) followed by a {@code ByteLevel} without
 * its own regex; {@code decoder} {@code ByteLevel}. Anything else is refused with a message naming the file and the
 * JSON path. A {@code tokenizer_config.json} beside the file supplies the BOS/EOS tokens.
 */
public final class HfTokenizerJson {
    private HfTokenizerJson() {}

    public static HfTokenizer load(Path file) {
        JsonNode root = readTree(file);
        return fromTree(file, root, HfTokenizerConfig.read(file.resolveSibling("tokenizer_config.json")));
    }

    static HfTokenizer fromTree(Path file, JsonNode root, HfTokenizerConfig config) {
        Reader r = new Reader(file);
        if (!root.isObject()) throw r.error("(root)", "expected a JSON object");
        JsonNode model = r.object(root, "model");
        String type = r.text(model, "model", "type");
        if (!type.equals("BPE")) throw r.error("model.type", "\"" + type + "\" is not supported yet (only \"BPE\")");
        Map<String, Integer> vocab = r.vocab(r.object(model, "model", "vocab"));
        List<ByteLevelVocab.Merge> merges = r.merges(r.array(model, "model", "merges"));
        boolean ignoreMerges = model.path("ignore_merges").asBoolean(false);
        boolean nfc = r.normalizer(root.get("normalizer"));
        Pattern preTokenizer = r.preTokenizer(root.get("pre_tokenizer"));
        r.decoder(root.get("decoder"));
        List<HfAddedToken> addedTokens = r.addedTokens(root.get("added_tokens"));
        Map<String, Integer> added = new LinkedHashMap<>();
        for (HfAddedToken t : addedTokens) added.put(t.content(), t.id());
        String name = file.getFileName().toString();
        ByteLevelBpe bpe;
        try {
            bpe = ByteLevelVocab.build(name, vocab, merges, preTokenizer, added, ignoreMerges);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(file, "model." + e.getMessage(), e);
        }
        return new HfTokenizer(bpe, nfc, addedTokens, config);
    }

    private static JsonNode readTree(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            JsonNode root = new ObjectMapper().readTree(in);
            if (root == null) throw new TokenizerFormatException(file, 0, "the file is empty");
            return root;
        } catch (IOException e) {
            throw new TokenizerFormatException(file, "cannot read tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** Field access that names the file and JSON path in every error. */
    private record Reader(Path file) {
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
}
