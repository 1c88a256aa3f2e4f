package ai.tarka.cli.chat;

import ai.tarka.inference.sampling.SamplingParams;
import java.util.Locale;
import java.util.Map;

/**
 * The sampling settings a chat user can see and change with {@code /params}: temperature, top_p, top_k, min_p,
 * max_tokens and seed ({@code null}: a fresh seed each answer).
 */
public record ChatParams(float temperature, float topP, int topK, float minP, int maxTokens, Long seed) {
    /** The names {@code /params} accepts, in the order it shows them. */
    public static final String KEYS = "temperature, top_p, top_k, min_p, max_tokens, seed";

    public ChatParams {
        // SamplingParams owns the ranges; building one checks them with its messages
        new SamplingParams(temperature, topK, topP, minP, 1, 0, 0, Map.of(), 0, 0);
        if (maxTokens < 1) throw new IllegalArgumentException("/params: max_tokens must be >= 1, got " + maxTokens);
    }

    /** This with {@code key} set to {@code value}; an unknown key or a malformed or out-of-range value is refused. */
    public ChatParams with(String key, String value) {
        String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        String v = value.trim();
        try {
            return switch (k) {
                case "temperature" -> new ChatParams(parseFloat(k, v), topP, topK, minP, maxTokens, seed);
                case "top_p" -> new ChatParams(temperature, parseFloat(k, v), topK, minP, maxTokens, seed);
                case "top_k" -> new ChatParams(temperature, topP, parseInt(k, v), minP, maxTokens, seed);
                case "min_p" -> new ChatParams(temperature, topP, topK, parseFloat(k, v), maxTokens, seed);
                case "max_tokens" -> new ChatParams(temperature, topP, topK, minP, parseInt(k, v), seed);
                case "seed" -> new ChatParams(temperature, topP, topK, minP, maxTokens,
                        v.equalsIgnoreCase("random") || v.equalsIgnoreCase("none") ? null : parseLong(k, v));
                default -> throw new IllegalArgumentException("/params: unknown parameter '" + key + "' (known: " + KEYS + ")");
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("/params")) throw e;
            throw new IllegalArgumentException("/params " + k + "=" + v + ": " + e.getMessage(), e);
        }
    }

    /** Sampling settings for one answer; {@code fallbackSeed} is used when no seed is set. */
    public SamplingParams sampling(long fallbackSeed) {
        return new SamplingParams(temperature, topK, topP, minP, 1, 0, 0, Map.of(), seed != null ? seed : fallbackSeed, 0);
    }

    public String describe() {
        return String.format(Locale.ROOT, "temperature=%s top_p=%s top_k=%d min_p=%s max_tokens=%d seed=%s",
                temperature, topP, topK, minP, maxTokens, seed == null ? "random" : seed.toString());
    }

    private static float parseFloat(String k, String v) {
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("/params: " + k + " must be a number, got '" + v + "'");
        }
    }

    private static int parseInt(String k, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("/params: " + k + " must be an integer, got '" + v + "'");
        }
    }

    private static long parseLong(String k, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("/params: " + k + " must be an integer or 'random', got '" + v + "'");
        }
    }
}
