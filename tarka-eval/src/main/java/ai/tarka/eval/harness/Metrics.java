package ai.tarka.eval.harness;

import ai.tarka.eval.harness.TaskSpec.OutputType;
import java.util.List;
import java.util.Map;

/** Which metric names each output type offers. */
final class Metrics {
    private Metrics() {}

    static final Map<OutputType, List<String>> ALLOWED = Map.of(
            OutputType.MULTIPLE_CHOICE, List.of("acc", "acc_norm", "f1", "mcc", "precision", "recall"),
            OutputType.LOGLIKELIHOOD, List.of("acc", "perplexity"),
            OutputType.GENERATE_UNTIL, List.of("bleu", "chrf", "chrf++", "rouge1", "rouge2", "rougeL", "rougeLsum", "exact_match"),
            OutputType.LOGLIKELIHOOD_ROLLING, List.of("perplexity", "bits_per_byte"));

    /** Options a metric_list entry may carry, with their allowed values. */
    static final Map<String, Map<String, List<String>>> OPTIONS = Map.of(
            "bleu", Map.of("tokenize", List.of("13a", "none", "intl", "char"), "lowercase", List.of("true", "false")),
            "rouge", Map.of("use_stemmer", List.of("true", "false"), "tokenizer", List.of("default", "unicode")),
            "chrf", Map.of("lowercase", List.of("true", "false")));

    static void checkOption(String metric, String key, String value, String source) {
        String family = metric.startsWith("rouge") ? "rouge" : metric.startsWith("chrf") ? "chrf" : metric;
        Map<String, List<String>> allowed = OPTIONS.getOrDefault(family, Map.of());
        if (!allowed.containsKey(key))
            throw new TaskFileException("task file " + source + ": metric '" + metric + "' has no option '" + key + "'"
                    + (allowed.isEmpty() ? "" : " (options: " + String.join(", ", allowed.keySet()) + ")"));
        if (!allowed.get(key).contains(value))
            throw new TaskFileException("task file " + source + ": metric '" + metric + "' option '" + key + "' is '" + value
                    + "' (allowed: " + String.join(", ", allowed.get(key)) + ")");
    }

    static void check(String metric, OutputType type, String source) {
        if (!ALLOWED.get(type).contains(metric))
            throw new TaskFileException("task file " + source + ": metric '" + metric + "' is not available for output_type "
                    + type.yaml() + " (available: " + String.join(", ", ALLOWED.get(type)) + ")");
    }
}
