package ai.tarka.tracking.hpo;

import java.util.LinkedHashMap;
import java.util.Map;

/** Named distributions in declaration order (the order params are sampled and shown). */
public record SearchSpace(Map<String, Distribution> params) {
    public SearchSpace {
        if (params.isEmpty()) throw new IllegalArgumentException("search space: no parameters");
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Parses a stored param value (text) back to the distribution's type. */
    public Object parseValue(String name, String text) {
        Distribution d = params.get(name);
        if (d == null) throw new IllegalArgumentException("search space has no parameter '" + name + "'");
        return switch (d) {
            case Distribution.FloatRange f -> Double.parseDouble(text);
            case Distribution.IntRange i -> Long.parseLong(text);
            case Distribution.Categorical c -> text;
        };
    }
}
