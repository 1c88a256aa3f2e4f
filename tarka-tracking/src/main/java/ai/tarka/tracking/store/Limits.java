package ai.tarka.tracking.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** MLflow's validation rules for keys, values and log-batch sizes, with MLflow's error wording. */
public final class Limits {
    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_PER_BATCH = 100;
    public static final int MAX_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    public static final int MAX_TAG_VALUE_LENGTH = 8000;

    private Limits() {
    }

    static TrackingException invalid(String message) {
        return new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static void checkBatch(int metrics, int params, int tags) {
        if (metrics > MAX_METRICS_PER_BATCH) {
            throw invalid("A batch logging request can contain at most " + MAX_METRICS_PER_BATCH + " metrics. Got "
                    + metrics + " metrics. Please split up metrics across multiple requests and try again.");
        }
        if (params > MAX_PARAMS_PER_BATCH) {
            throw invalid("A batch logging request can contain at most " + MAX_PARAMS_PER_BATCH + " params. Got "
                    + params + " params. Please split up params across multiple requests and try again.");
        }
        if (tags > MAX_TAGS_PER_BATCH) {
            throw invalid("A batch logging request can contain at most " + MAX_TAGS_PER_BATCH + " tags. Got "
                    + tags + " tags. Please split up tags across multiple requests and try again.");
        }
        int total = metrics + params + tags;
        if (total > MAX_ENTITIES_PER_BATCH) {
            throw invalid("A batch logging request can contain at most " + MAX_ENTITIES_PER_BATCH
                    + " total metrics, params and tags. Got " + total + " in total.");
        }
    }

    static void checkKey(String what, String key) {
        if (key == null || key.isEmpty()) throw invalid("Missing value for required parameter '" + what + " key'");
        if (key.length() > MAX_KEY_LENGTH) {
            throw invalid(what + " key '" + key.substring(0, 40) + "...' had length " + key.length()
                    + ", which exceeded length limit of " + MAX_KEY_LENGTH);
        }
        if (key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw invalid("Invalid " + what.toLowerCase(java.util.Locale.ROOT) + " name: '" + key
                    + "'. Names may not start with '/' or contain '..' or '\\'");
        }
    }

    static void checkParam(String key, String value) {
        checkKey("Param", key);
        if (value == null) throw invalid("Missing value for required parameter 'value' of param '" + key + "'");
        if (value.length() > MAX_PARAM_VALUE_LENGTH) {
            throw invalid("Param value for key '" + key + "' had length " + value.length()
                    + ", which exceeded length limit of " + MAX_PARAM_VALUE_LENGTH);
        }
    }

    static void checkTag(String key, String value) {
        checkKey("Tag", key);
        if (value == null) throw invalid("Missing value for required parameter 'value' of tag '" + key + "'");
        if (value.length() > MAX_TAG_VALUE_LENGTH) {
            throw invalid("Tag value for key '" + key + "' had length " + value.length()
                    + ", which exceeded length limit of " + MAX_TAG_VALUE_LENGTH);
        }
    }

    /** A batch may repeat a param key only with the same value. */
    static Map<String, String> distinctParams(Collection<Map.Entry<String, String>> params) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, String> e : params) {
            checkParam(e.getKey(), e.getValue());
            String old = out.putIfAbsent(e.getKey(), e.getValue());
            if (old != null && !old.equals(e.getValue())) {
                throw invalid("Duplicate parameter keys have been submitted: ['" + e.getKey()
                        + "'] with different values. Please ensure the request contains only one param value per param key.");
            }
        }
        return out;
    }
}
