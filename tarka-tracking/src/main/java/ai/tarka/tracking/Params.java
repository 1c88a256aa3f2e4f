package ai.tarka.tracking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a (possibly nested) config map into MLflow params: dotted keys, string values. */
public final class Params {
    private Params() {
    }

    public static Map<String, String> flatten(Map<String, ?> params) {
        Map<String, String> out = new LinkedHashMap<>();
        if (params != null) flatten("", params, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) flatten(key + ".", m, out);
            else if (v instanceof List<?> l) out.put(key, l.toString());
            else if (v instanceof Double || v instanceof Float) out.put(key, formatNumber(((Number) v).doubleValue()));
            else out.put(key, String.valueOf(v));
        }
    }

    /** Shortest text that reads back to the same double (no trailing ".0" noise for integers stored as doubles). */
    static String formatNumber(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return Double.toString(d);
    }
}
