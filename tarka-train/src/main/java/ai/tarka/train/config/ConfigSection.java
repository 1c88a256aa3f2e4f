package ai.tarka.train.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One mapping of a YAML config with typed, range-checked getters whose errors name the file, the key and its line.
 * Unknown keys are rejected when the section is opened, with the closest valid name as a hint.
 */
final class ConfigSection {
    private final String file;
    private final KeyLines lines;
    private final String prefix;
    private final JsonNode node;

    ConfigSection(String file, KeyLines lines, String prefix, JsonNode node, Set<String> validKeys) {
        this.file = file;
        this.lines = lines;
        this.prefix = prefix;
        this.node = node;
        if (!node.isObject()) throw new TrainConfigException(file + ": " + where(prefix.isEmpty() ? "the document" : prefix) + " must be a mapping of keys to values");
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
        for (String name : names) {
            if (validKeys.contains(name)) continue;
            String hint = ClosestName.of(name, validKeys);
            throw new TrainConfigException("unknown key '" + qualified(name) + "' in " + file + lines.at(qualified(name))
                    + (hint != null ? "; did you mean '" + qualified(hint) + "'?" : "; valid keys are " + new java.util.TreeSet<>(validKeys)));
        }
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    JsonNode raw(String key) {
        return node.get(key);
    }

    TrainConfigException error(String key, String problem) {
        return new TrainConfigException(file + ": key '" + qualified(key) + "'" + lines.at(qualified(key)) + " " + problem);
    }

    String string(String key, String fallback) {
        if (!has(key)) return fallback;
        JsonNode v = node.get(key);
        if (!v.isValueNode() || v.isBoolean()) throw error(key, "must be a text value, got " + shown(v));
        return v.asText();
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) throw new TrainConfigException(file + ": missing required key '" + qualified(key) + "'");
        return s;
    }

    long integer(String key, long fallback, long min, long max) {
        if (!has(key)) return fallback;
        JsonNode v = node.get(key);
        long value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.asLong();
        } else if (v.isTextual() && v.asText().trim().matches("[+-]?\\d+")) {
            value = Long.parseLong(v.asText().trim());
        } else {
            throw error(key, "must be a whole number, got " + shown(v));
        }
        if (value < min || value > max) throw error(key, "must be " + range(min, max) + ", got " + value);
        return value;
    }

    int integer(String key, int fallback, int min) {
        return (int) integer(key, fallback, min, Integer.MAX_VALUE);
    }

    /** A real number; text such as {@code 6e-4} is accepted because YAML 1.1 reads exponents without a dot as text. */
    double real(String key, double fallback, double min, double max, boolean minInclusive, boolean maxInclusive) {
        if (!has(key)) return fallback;
        JsonNode v = node.get(key);
        double value;
        if (v.isNumber()) {
            value = v.asDouble();
        } else if (v.isTextual()) {
            try {
                value = Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                throw error(key, "must be a number, got " + shown(v));
            }
        } else {
            throw error(key, "must be a number, got " + shown(v));
        }
        boolean low = minInclusive ? value >= min : value > min;
        boolean high = maxInclusive ? value <= max : value < max;
        if (!Double.isFinite(value) || !low || !high) {
            throw error(key, "must be in " + (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max)
                    + (maxInclusive ? "]" : ")") + ", got " + v.asText());
        }
        return value;
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) return fallback;
        JsonNode v = node.get(key);
        if (v.isBoolean()) return v.asBoolean();
        throw error(key, "must be true or false, got " + shown(v));
    }

    <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
        if (!has(key)) return fallback;
        String s = string(key, null).trim();
        for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s)) return e;
        List<String> options = new ArrayList<>();
        for (E e : type.getEnumConstants()) options.add(e.name().toLowerCase(Locale.ROOT));
        throw error(key, "must be one of " + String.join("|", options) + ", got '" + s + "'");
    }

    ConfigSection child(String key, Set<String> validKeys) {
        return new ConfigSection(file, lines, qualified(key), node.get(key), validKeys);
    }

    private String qualified(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private String where(String what) {
        return "'" + what + "'" + lines.at(what);
    }

    private static String shown(JsonNode v) {
        if (v.isContainerNode()) return v.isArray() ? "a list" : "a mapping";
        return "'" + v.asText() + "'";
    }

    private static String range(long min, long max) {
        return max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "≥ " + min : "in [" + min + ", " + max + "]";
    }

    private static String fmt(double d) {
        return d == Double.MAX_VALUE ? "∞" : d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
