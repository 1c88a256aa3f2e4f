package ai.tarka.tracking.search;

import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.Run;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Evaluates filter clauses and reads sort keys on a run, with MLflow's semantics (a missing key never matches). */
public final class RunMatcher {
    private RunMatcher() {
    }

    public static boolean matches(Run run, List<Clause> clauses) {
        for (Clause c : clauses) {
            if (!matches(run, c)) return false;
        }
        return true;
    }

    static boolean matches(Run run, Clause c) {
        Object v = value(run, c.entity(), c.key());
        if (c.comparator().equals("IS NULL")) return v == null;
        if (c.comparator().equals("IS NOT NULL")) return v != null;
        if (v == null) return false;
        if (v instanceof Double d) {
            double x = Double.parseDouble(c.values().getFirst());
            return switch (c.comparator()) {
                case "=" -> d == x;
                case "!=" -> d != x;
                case "<" -> d < x;
                case "<=" -> d <= x;
                case ">" -> d > x;
                case ">=" -> d >= x;
                default -> false;
            };
        }
        String s = v.toString();
        String x = c.values().getFirst();
        return switch (c.comparator()) {
            case "=" -> s.equals(x);
            case "!=" -> !s.equals(x);
            case "LIKE" -> like(x, false).matcher(s).matches();
            case "ILIKE" -> like(x, true).matcher(s).matches();
            case "IN" -> c.values().contains(s);
            case "NOT IN" -> !c.values().contains(s);
            default -> false;
        };
    }

    /** SQL LIKE: % any run, _ one character, everything else literal. */
    static Pattern like(String pattern, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        StringBuilder lit = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '%' || ch == '_') {
                if (!lit.isEmpty()) re.append(Pattern.quote(lit.toString()));
                lit.setLength(0);
                re.append(ch == '%' ? ".*" : ".");
            } else {
                lit.append(ch);
            }
        }
        if (!lit.isEmpty()) re.append(Pattern.quote(lit.toString()));
        return Pattern.compile(re.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }

    /** A Double for metrics and time attributes, a String otherwise, null when the run lacks it. */
    public static Object value(Run run, Clause.Entity entity, String key) {
        return switch (entity) {
            case METRIC -> {
                Metric m = run.latestMetrics().get(key);
                yield m == null ? null : m.value();
            }
            case PARAM -> run.params().get(key);
            case TAG -> run.tags().get(key);
            case ATTRIBUTE -> switch (key.toLowerCase(Locale.ROOT)) {
                case "status" -> run.info().status().name();
                case "run_name" -> run.info().runName();
                case "start_time", "created" -> (double) run.info().startTime();
                case "end_time" -> run.info().endTime() == null ? null : (double) run.info().endTime();
                case "duration" -> run.info().endTime() == null ? null : (double) (run.info().endTime() - run.info().startTime());
                case "run_id" -> run.info().runId();
                case "experiment_id" -> run.info().experimentId();
                case "user_id" -> run.tags().getOrDefault("mlflow.user", "");
                case "artifact_uri" -> run.info().artifactUri();
                default -> null;
            };
        };
    }
}
