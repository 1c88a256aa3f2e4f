package ai.tarka.eval.harness;

import ai.tarka.eval.lm.LogLikelihoodModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs several tasks on one model. */
public final class EvalRun {
    private EvalRun() {}

    public static List<TaskResult> run(LogLikelihoodModel model, List<TaskSpec> tasks, EvalOptions options,
                                       Consumer<String> progress) {
        List<TaskResult> out = new ArrayList<>();
        for (TaskSpec t : tasks) {
            if (progress != null) progress.accept(model.name() + ": " + t.name() + " ...");
            out.add(Harness.run(t, model, options));
        }
        return out;
    }

    /** Whether larger values of {@code metric} are better. */
    public static boolean higherIsBetter(String metric) {
        return !(metric.equals("perplexity") || metric.equals("bits_per_byte"));
    }
}
