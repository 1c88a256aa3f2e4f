package ai.tarka.train;

import ai.tarka.models.CausalLm;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.Map;

/**
 * Extra evaluation run at every {@code eval_steps} on the live model (for example benchmark tasks of the evaluation
 * harness): returns flat {@code task/metric → value} pairs, which go to {@code metrics.jsonl} and the listeners.
 * Implementations must not change the weights, and should run with gradients off.
 */
@FunctionalInterface
public interface EvalTasks {
    Map<String, Double> evaluate(CausalLm model, TextTokenizer tokenizer, long step);
}
