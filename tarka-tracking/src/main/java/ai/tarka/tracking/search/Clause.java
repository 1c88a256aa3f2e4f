package ai.tarka.tracking.search;

import java.util.List;

/**
 * One comparison of an MLflow search filter, e.g. {@code metrics.loss < 0.5}.
 *
 * @param entity     METRIC, PARAM, TAG or ATTRIBUTE
 * @param key        the key (attribute name for attributes)
 * @param comparator =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL
 * @param values     one value (string or number text), several for IN, none for IS NULL
 */
public record Clause(Entity entity, String key, String comparator, List<String> values) {
    public enum Entity { METRIC, PARAM, TAG, ATTRIBUTE }
}
