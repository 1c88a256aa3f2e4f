package ai.tarka.eval.harness;

import ai.tarka.eval.lm.CausalLmScorer;
import ai.tarka.models.CausalLm;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks a trainer runs every {@code eval_steps} on the model being trained: resolved once, run on the live weights
 * (no copy; forward passes record no gradients), returned as flat {@code task/metric → value} pairs for a metrics
 * log. Bootstrap is off by default to keep the pause short.
 */
public final class TrainingEvaluation {
    private final List<TaskSpec> tasks = new ArrayList<>();
    private final EvalOptions options;

    /** @param taskNames built-in names or YAML paths; {@code limit} documents (windows) per task, 0 for all */
    public TrainingEvaluation(List<String> taskNames, int limit, int batchSize) {
        for (String t : taskNames) tasks.add(TaskSpecs.resolve(t));
        this.options = new EvalOptions(limit, batchSize, 0, 1234, null);
    }

    public List<TaskSpec> tasks() {
        return List.copyOf(tasks);
    }

    public Map<String, Double> evaluate(CausalLm model, TextTokenizer tokenizer, int bos, int eos, String name) {
        CausalLmScorer scorer = new CausalLmScorer(name, model, tokenizer, bos, eos);
        Map<String, Double> out = new LinkedHashMap<>();
        for (TaskResult r : EvalRun.run(scorer, tasks, options, null)) {
            for (MetricResult m : r.metrics()) out.put(r.task() + "/" + m.metric(), m.value());
        }
        return out;
    }
}
