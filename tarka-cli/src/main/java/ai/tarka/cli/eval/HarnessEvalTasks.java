package ai.tarka.cli.eval;

import ai.tarka.eval.harness.TrainingEvaluation;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.train.EvalTasks;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The evaluation harness's tasks as a trainer's {@link EvalTasks}: {@code --eval-tasks} of train and finetune. */
public final class HarnessEvalTasks {
    private HarnessEvalTasks() {}

    /** Resolves the tasks now, so a bad task name fails before training starts; prints each evaluation's scores. */
    public static EvalTasks of(List<String> tasks, int limit, PrintWriter err) {
        TrainingEvaluation evaluation = new TrainingEvaluation(tasks, limit, 8);
        return (model, tokenizer, step) -> {
            int bos = model.config().bosTokenId();
            int eos = model.config().eosTokenId() >= 0 ? model.config().eosTokenId() : TokenizerLoader.eosId(tokenizer);
            Map<String, Double> scores = evaluation.evaluate(model, tokenizer, bos, eos, "step-" + step);
            StringBuilder line = new StringBuilder("step " + step + " tasks:");
            scores.forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s=%.4f", k, v)));
            err.println(line);
            err.flush();
            return scores;
        };
    }
}
