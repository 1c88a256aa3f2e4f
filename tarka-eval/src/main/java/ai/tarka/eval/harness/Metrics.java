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

    static void check(String metric, OutputType type, String source) {
        if (!ALLOWED.get(type).contains(metric))
            throw new TaskFileException("task file " + source + ": metric '" + metric + "' is not available for output_type "
                    + type.yaml() + " (available: " + String.join(", ", ALLOWED.get(type)) + ")");
    }
}
