package ai.tarka.eval.report;

import ai.tarka.eval.harness.MetricResult;
import ai.tarka.eval.harness.ModelResults;
import ai.tarka.eval.harness.TaskResult;
import java.util.List;

/** Made-up results of three models on three tasks, for report tests. */
final class Reports {
    private Reports() {}

    static List<ModelResults> sample() {
        return List.of(model("alpha", 0.81, 21.5, 3.2, 900), model("beta", 0.64, 18.0, 4.1, 2500), model("gamma <b>", 0.55, 9.5, 6.0, 12000));
    }

    private static ModelResults model(String name, double acc, double bleu, double ppl, double decode) {
        return new ModelResults(name, List.of(
                new TaskResult("sentiment", "multiple_choice", 1000, List.of(new MetricResult("acc", acc, 0.012, "output:multiple_choice|n:1000")), 1),
                new TaskResult("ntrex_en_de", "generate_until", 50, List.of(new MetricResult("bleu", bleu, 1.1, "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1")), 1),
                new TaskResult("tinystories_ppl", "loglikelihood_rolling", 9, List.of(new MetricResult("perplexity", ppl, Double.NaN, "window:256|stride:128")), 1)),
                new ModelSpeed(128, 32, decode * 8, decode, 1000 / decode, 260_000));
    }
}
