package ai.tarka.cli.eval;

import ai.tarka.eval.harness.EvalOptions;
import ai.tarka.eval.harness.EvalRun;
import ai.tarka.eval.harness.ModelResults;
import ai.tarka.eval.harness.ResultsJson;
import ai.tarka.eval.harness.TaskResult;
import ai.tarka.eval.harness.TaskSpec;
import ai.tarka.eval.lm.CausalLmScorer;
import ai.tarka.eval.lm.ModelLoader;
import ai.tarka.eval.report.HtmlReport;
import ai.tarka.eval.report.ModelSpeed;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tarka bench models}: several models on several tasks, as an HTML report, a Markdown table and JSON. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Evaluate several models on several tasks and measure their speed; writes a self-contained HTML "
                + "report (table, bar chart per task, radar across tasks, throughput), a Markdown table and JSON.")
public final class BenchModelsCommand implements Callable<Integer> {
    @Option(names = "--models", required = true, split = ",", paramLabel = "m1,m2", description = "Models: stories260K, .gguf files or Hugging Face folders.")
    List<String> models;

    @Option(names = "--tasks", required = true, paramLabel = "a,b,c", description = "Comma-separated task names or YAML files.")
    String tasks;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "At most N documents per task; 0 = all.")
    int limit;

    @Option(names = "--batch-size", defaultValue = "1", paramLabel = "B")
    int batchSize;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "R")
    int bootstrap;

    @Option(names = "--out", defaultValue = "bench-models", paramLabel = "DIR", description = "Writes report.html, report.md and results.json here.")
    Path out;

    @Option(names = "--title", defaultValue = "Tarka model benchmark")
    String title;

    @Override
    public Integer call() throws Exception {
        List<TaskSpec> specs = EvalSetup.tasks(tasks);
        List<ModelResults> all = new ArrayList<>();
        for (String m : models) {
            CausalLmScorer scorer = ModelLoader.load(m.strip(), null);
            List<TaskResult> results = EvalRun.run(scorer, specs, new EvalOptions(limit, batchSize, bootstrap, 1234, null), System.err::println);
            ModelSpeed speed = ModelSpeed.measure(scorer.model(), 128, 32, 3);
            all.add(new ModelResults(scorer.name(), results, speed));
        }
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.putPOJO("models", models);
        config.put("tasks", tasks);
        config.put("limit", limit);
        config.put("batch_size", batchSize);
        config.put("bootstrap", bootstrap);
        config.put("threads", Runtime.getRuntime().availableProcessors());
        String md = HtmlReport.markdown(all);
        String configText = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config);
        ResultsJson.writeAtomically(out.resolve("report.html"), HtmlReport.render(title, all, configText));
        ResultsJson.writeAtomically(out.resolve("report.md"), "# " + title + "\n\n" + md + "\n" + ResultsJson.markdown(all));
        ResultsJson.write(out.resolve("results.json"), ResultsJson.build(all, specs, config));
        System.out.print(md);
        System.out.println("wrote " + out.resolve("report.html") + ", report.md, results.json");
        return 0;
    }
}
