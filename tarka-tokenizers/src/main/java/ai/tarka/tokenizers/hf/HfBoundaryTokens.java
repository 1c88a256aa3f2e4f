package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.BoundaryTokens;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The BOS/EOS (or [CLS]/[SEP]) rule of a {@code tokenizer.json}: its {@code post_processor} when that is a
 * {@code TemplateProcessing} (also inside a {@code Sequence}), {@code BertProcessing} or {@code RobertaProcessing};
 * otherwise {@code tokenizer_config.json}'s {@code add_bos_token}/{@code add_eos_token} with its BOS/EOS token texts.
 */
final class HfBoundaryTokens {
    private HfBoundaryTokens() {}

    /**
     * @param idOf the id of a token text, or -1 when the vocabulary has no such token
     */
    static BoundaryTokens read(HfJsonReader r, JsonNode postProcessor, HfTokenizerConfig config, ToIntFunction<String> idOf) {
        BoundaryTokens fromPost = postProcessor == null || postProcessor.isNull() ? null : fromPostProcessor(r, postProcessor, "post_processor", idOf);
        if (fromPost != null) return fromPost;
        int bos = config.bosToken() == null ? -1 : idOf.applyAsInt(config.bosToken());
        int eos = config.eosToken() == null ? -1 : idOf.applyAsInt(config.eosToken());
        if (config.addBosToken() && bos < 0) throw r.error("tokenizer_config.json bos_token", "add_bos_token is true but the BOS token \"" + config.bosToken() + "\" is not in the vocabulary");
        if (config.addEosToken() && eos < 0) throw r.error("tokenizer_config.json eos_token", "add_eos_token is true but the EOS token \"" + config.eosToken() + "\" is not in the vocabulary");
        return BoundaryTokens.of(bos, config.addBosToken(), eos, config.addEosToken());
    }

    /** Null when the post-processor adds nothing around the sequence (ByteLevel and the like). */
    private static BoundaryTokens fromPostProcessor(HfJsonReader r, JsonNode n, String at, ToIntFunction<String> idOf) {
        String type = n.path("type").asText("");
        switch (type) {
            case "TemplateProcessing" -> {
                return template(r, n, at);
            }
            case "BertProcessing", "RobertaProcessing" -> {
                return new BoundaryTokens(new int[] {pairId(r, n, at, "cls")}, new int[] {pairId(r, n, at, "sep")});
            }
            case "Sequence" -> {
                JsonNode steps = r.array(n, at, "processors");
                BoundaryTokens found = null;
                for (int i = 0; i < steps.size(); i++) {
                    BoundaryTokens b = fromPostProcessor(r, steps.get(i), at + ".processors[" + i + "]", idOf);
                    if (b != null) {
                        if (found != null) throw r.error(at + ".processors[" + i + "]", "a second processor that adds tokens is not supported");
                        found = b;
                    }
                }
                return found;
            }
            default -> {
                return null; // ByteLevel (offsets only) and others that add no tokens
            }
        }
    }

    /** {@code single}: special tokens before the {@code $A} sequence are the prefix, those after it the suffix. */
    private static BoundaryTokens template(HfJsonReader r, JsonNode n, String at) {
        JsonNode single = r.array(n, at, "single");
        JsonNode specials = n.get("special_tokens");
        List<Integer> prefix = new ArrayList<>(), suffix = new ArrayList<>();
        boolean seenSequence = false;
        for (int i = 0; i < single.size(); i++) {
            JsonNode piece = single.get(i);
            String pat = at + ".single[" + i + "]";
            if (piece.has("Sequence")) {
                if (seenSequence) throw r.error(pat, "a second sequence in the single-sequence template");
                seenSequence = true;
            } else if (piece.has("SpecialToken")) {
                String name = piece.get("SpecialToken").path("id").asText(null);
                if (name == null) throw r.error(pat + ".SpecialToken.id", "missing");
                JsonNode spec = specials == null ? null : specials.get(name);
                if (spec == null || !spec.path("ids").isArray()) throw r.error(at + ".special_tokens", "no ids for \"" + name + "\"");
                for (JsonNode id : spec.get("ids")) (seenSequence ? suffix : prefix).add(id.asInt());
            } else {
                throw r.error(pat, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}, got " + piece);
            }
        }
        if (!seenSequence) throw r.error(at + ".single", "has no {\"Sequence\": {\"id\": \"A\"}}");
        return new BoundaryTokens(prefix.stream().mapToInt(Integer::intValue).toArray(), suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    /** BertProcessing writes {@code "cls": ["[CLS]", 101]}. */
    private static int pairId(HfJsonReader r, JsonNode n, String at, String field) {
        JsonNode pair = r.array(n, at, field);
        if (pair.size() != 2 || !pair.get(1).isIntegralNumber()) throw r.error(at + "." + field, "expected [\"token\", id], got " + pair);
        return pair.get(1).asInt();
    }
}
