package ai.tarka.tracking.search;

import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.TrackingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses MLflow's run filter syntax: comparisons joined by AND, e.g.
 * {@code metrics.loss < 0.5 and params.lr = '0.01' and tags."mlflow.runName" LIKE 'bas%' and attributes.status = 'FINISHED'}.
 * Keys may be quoted with backticks or double quotes; strings with single or double quotes.
 */
public final class SearchFilter {
    static final Set<String> ATTRIBUTES = Set.of("status", "run_name", "start_time", "end_time", "run_id",
            "user_id", "artifact_uri", "created", "duration", "experiment_id");
    private static final Set<String> NUMERIC_OPS = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Set<String> STRING_OPS = Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");

    private final String text;
    private int pos;

    private SearchFilter(String text) {
        this.text = text;
    }

    /** The clauses of {@code filter}; an empty list for a blank filter. */
    public static List<Clause> parse(String filter) {
        if (filter == null || filter.isBlank()) return List.of();
        return new SearchFilter(filter).clauses();
    }

    private List<Clause> clauses() {
        List<Clause> out = new ArrayList<>();
        while (true) {
            out.add(clause());
            skipSpace();
            if (pos >= text.length()) return out;
            String word = word();
            if (!word.equalsIgnoreCase("and")) {
                throw error("expected AND between comparisons but found '" + word + "'" + (word.equalsIgnoreCase("or") ? " (MLflow filters support only AND)" : ""));
            }
        }
    }

    private Clause clause() {
        skipSpace();
        int start = pos;
        String identifier = identifier();
        Clause.Entity entity;
        String key;
        int dot = identifier.indexOf('\u0000');
        if (dot < 0) {
            entity = Clause.Entity.ATTRIBUTE;
            key = identifier;
        } else {
            entity = entity(identifier.substring(0, dot), start);
            key = identifier.substring(dot + 1);
        }
        if (entity == Clause.Entity.ATTRIBUTE) {
            key = key.equals("run_name") || key.equals("name") ? "run_name" : key;
            if (!ATTRIBUTES.contains(key)) {
                throw error("invalid attribute key '" + key + "'. Valid keys: " + String.join(", ", new java.util.TreeSet<>(ATTRIBUTES)));
            }
        }
        skipSpace();
        String op = operator();
        if (op.equals("IS NULL") || op.equals("IS NOT NULL")) return new Clause(entity, key, op, List.of());
        skipSpace();
        List<String> values = new ArrayList<>();
        if (op.equals("IN") || op.equals("NOT IN")) {
            expect('(');
            do {
                skipSpace();
                values.add(literal());
                skipSpace();
            } while (tryConsume(','));
            expect(')');
        } else {
            values.add(literal());
        }
        check(entity, key, op, values);
        return new Clause(entity, key, op, List.copyOf(values));
    }

    private void check(Clause.Entity entity, String key, String op, List<String> values) {
        boolean numericAttr = entity == Clause.Entity.ATTRIBUTE && (key.equals("start_time") || key.equals("end_time")
                || key.equals("created") || key.equals("duration"));
        if (entity == Clause.Entity.METRIC || numericAttr) {
            if (!NUMERIC_OPS.contains(op)) throw error("invalid comparator '" + op + "' for a numeric value of '" + key + "'. Valid: = != < <= > >=");
            try {
                Double.parseDouble(values.getFirst());
            } catch (NumberFormatException e) {
                throw error("expected a number to compare with '" + key + "' but got '" + values.getFirst() + "'");
            }
        } else if (!STRING_OPS.contains(op)) {
            throw error("invalid comparator '" + op + "' for '" + key + "'. Valid: = != LIKE ILIKE IN, NOT IN");
        }
    }

    private static Clause.Entity entity(String prefix, int at) {
        return switch (prefix.toLowerCase(Locale.ROOT)) {
            case "metric", "metrics" -> Clause.Entity.METRIC;
            case "param", "params", "parameter", "parameters" -> Clause.Entity.PARAM;
            case "tag", "tags" -> Clause.Entity.TAG;
            case "attribute", "attributes", "attr", "run" -> Clause.Entity.ATTRIBUTE;
            default -> throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid search filter at character "
                    + at + ": invalid entity type '" + prefix + "'. Valid values are ['metric', 'parameter', 'tag', 'attribute']");
        };
    }

    /** {@code prefix.key} with quoting; returns "prefix\0key" or a bare name. */
    private String identifier() {
        String first = name();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            String rest = name();
            // An unquoted key may itself contain dots (tags.mlflow.runName).
            while (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                rest = rest + "." + name();
            }
            return first + '\u0000' + rest;
        }
        return first;
    }

    private String name() {
        if (pos >= text.length()) throw error("expected a name");
        char c = text.charAt(pos);
        if (c == '`' || c == '"') return quoted(c);
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "_-:/".indexOf(text.charAt(pos)) >= 0)) pos++;
        if (start == pos) throw error("expected a name but found '" + text.charAt(pos) + "'");
        return text.substring(start, pos);
    }

    private String quoted(char quote) {
        int start = ++pos;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                if (pos < text.length() && text.charAt(pos) == quote) { // doubled quote escapes itself
                    sb.append(c);
                    pos++;
                    continue;
                }
                return sb.toString();
            }
            sb.append(c);
        }
        pos = start - 1;
        throw error("unterminated quote " + quote);
    }

    private String literal() {
        if (pos >= text.length()) throw error("expected a value");
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') return quoted(c);
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && text.charAt(pos) != ',' && text.charAt(pos) != ')') pos++;
        if (start == pos) throw error("expected a value");
        return text.substring(start, pos);
    }

    private String operator() {
        if (pos >= text.length()) throw error("expected a comparator");
        for (String op : new String[] {"!=", "<=", ">=", "=", "<", ">"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        String w = word().toUpperCase(Locale.ROOT);
        if (w.equals("NOT")) {
            skipSpace();
            String next = word().toUpperCase(Locale.ROOT);
            if (next.equals("IN")) return "NOT IN";
            throw error("expected IN after NOT");
        }
        if (w.equals("IS")) {
            skipSpace();
            String next = word().toUpperCase(Locale.ROOT);
            if (next.equals("NULL")) return "IS NULL";
            if (next.equals("NOT")) {
                skipSpace();
                if (word().equalsIgnoreCase("NULL")) return "IS NOT NULL";
            }
            throw error("expected IS NULL or IS NOT NULL");
        }
        if (w.equals("LIKE") || w.equals("ILIKE") || w.equals("IN")) return w;
        throw error("invalid comparator '" + w + "'");
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) pos++;
        if (start == pos) throw error("unexpected '" + text.charAt(pos) + "'");
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private boolean tryConsume(char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!tryConsume(c)) throw error("expected '" + c + "'");
    }

    private TrackingException error(String problem) {
        return new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid search filter '" + text + "' at character " + pos + ": " + problem);
    }
}
