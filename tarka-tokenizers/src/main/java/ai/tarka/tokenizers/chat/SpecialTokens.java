package ai.tarka.tokenizers.chat;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code *_token} entries of a {@code tokenizer_config.json} ({@code bos_token}, {@code eos_token}, ...), as
 * template variables. Each is a string, an AddedToken object {@code {"content": ...}}, or null (left out).
 */
final class SpecialTokens {
    private SpecialTokens() {}

    static Map<String, String> fromConfig(JsonNode config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : config.properties()) {
            String key = e.getKey();
            if (!key.endsWith("_token")) continue;
            JsonNode v = e.getValue();
            if (v.isTextual()) out.put(key, v.asText());
            else if (v.isObject() && v.path("content").isTextual()) out.put(key, v.path("content").asText());
        }
        return out;
    }
}
