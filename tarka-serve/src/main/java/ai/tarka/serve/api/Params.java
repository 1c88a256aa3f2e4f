package ai.tarka.serve.api;

import ai.tarka.serve.engine.SamplingOptions;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads request fields with OpenAI's types and ranges; every violation is a 400 naming the parameter. Absent and
 * {@code null} fields take their defaults.
 */
final class Params {
    private final JsonNode body;

    Params(JsonNode body) {
        if (body == null || !body.isObject()) throw ApiException.badRequest("the request body must be a JSON object", null);
        this.body = body;
    }

    JsonNode node(String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String name) {
        return node(name) != null;
    }

    String string(String name, String def) {
        JsonNode n = node(name);
        if (n == null) return def;
        if (!n.isTextual()) throw ApiException.badRequest("'" + name + "' must be a string", name);
        return n.textValue();
    }

    boolean bool(String name, boolean def) {
        JsonNode n = node(name);
        if (n == null) return def;
        if (!n.isBoolean()) throw ApiException.badRequest("'" + name + "' must be a boolean", name);
        return n.booleanValue();
    }

    Integer integer(String name, Integer def, long min, long max) {
        JsonNode n = node(name);
        if (n == null) return def;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw ApiException.badRequest("'" + name + "' must be an integer", name);
        long v = n.longValue();
        if (v < min || v > max) throw ApiException.badRequest("'" + name + "' must be in [" + min + ", " + max + "], got " + v, name);
        return (int) v;
    }

    Long longValue(String name) {
        JsonNode n = node(name);
        if (n == null) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw ApiException.badRequest("'" + name + "' must be an integer", name);
        return n.longValue();
    }

    double number(String name, double def, double min, double max) {
        JsonNode n = node(name);
        if (n == null) return def;
        if (!n.isNumber()) throw ApiException.badRequest("'" + name + "' must be a number", name);
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) throw ApiException.badRequest("'" + name + "' must be in [" + min + ", " + max + "], got " + v, name);
        return v;
    }

    List<String> stop() {
        JsonNode n = node("stop");
        if (n == null) return List.of();
        if (n.isTextual()) return List.of(n.textValue());
        if (!n.isArray()) throw ApiException.badRequest("'stop' must be a string or an array of strings", "stop");
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) {
            if (!s.isTextual()) throw ApiException.badRequest("'stop' must be a string or an array of strings", "stop");
            if (!s.textValue().isEmpty()) out.add(s.textValue());
        }
        if (out.size() > 16) throw ApiException.badRequest("'stop' may hold at most 16 strings", "stop");
        return out;
    }

    int[] intArray(String name, int vocab) {
        JsonNode n = node(name);
        if (n == null) return new int[0];
        if (!n.isArray()) throw ApiException.badRequest("'" + name + "' must be an array of token ids", name);
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 0 || e.intValue() >= vocab) {
                throw ApiException.badRequest("'" + name + "' must hold token ids in [0, " + vocab + ")", name);
            }
            out[i] = e.intValue();
        }
        return out;
    }

    Map<Integer, Float> logitBias(int vocab) {
        JsonNode n = node("logit_bias");
        if (n == null) return Map.of();
        if (!n.isObject()) throw ApiException.badRequest("'logit_bias' must be an object from token ids to numbers", "logit_bias");
        Map<Integer, Float> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException notAnId) {
                throw ApiException.badRequest("'logit_bias' key '" + e.getKey() + "' is not a token id", "logit_bias");
            }
            if (id < 0 || id >= vocab) throw ApiException.badRequest("'logit_bias' token id " + id + " outside [0, " + vocab + ")", "logit_bias");
            JsonNode v = e.getValue();
            if (!v.isNumber() || !(v.doubleValue() >= -100 && v.doubleValue() <= 100)) {
                throw ApiException.badRequest("'logit_bias' values must be numbers in [-100, 100]", "logit_bias");
            }
            out.put(id, v.floatValue());
        }
        return out;
    }

    /** The sampling fields shared by both endpoints; {@code maxTokens} already resolved against the context. */
    SamplingOptions sampling(int vocab, int maxTokens, boolean logprobs, int topLogprobs, boolean promptLogprobs) {
        double temperature = number("temperature", 1.0, 0, 2);
        double topP = number("top_p", 1.0, 0, 1);
        if (topP <= 0) throw ApiException.badRequest("'top_p' must be in (0, 1], got " + topP, "top_p");
        int topK = integer("top_k", 0, -1, Integer.MAX_VALUE);
        double minP = number("min_p", 0, 0, 1);
        double presence = number("presence_penalty", 0, -2, 2);
        double frequency = number("frequency_penalty", 0, -2, 2);
        double repetition = number("repetition_penalty", 1, 1e-6, 100);
        int minTokens = integer("min_tokens", 0, 0, maxTokens);
        return new SamplingOptions(temperature, topP, Math.max(0, topK), minP, presence, frequency, repetition,
                longValue("seed"), maxTokens, minTokens, stop(), intArray("stop_token_ids", vocab),
                bool("ignore_eos", false), logitBias(vocab), logprobs, topLogprobs, promptLogprobs);
    }
}
