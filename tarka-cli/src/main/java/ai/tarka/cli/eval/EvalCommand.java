package ai.tarka.cli.eval;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.eval.harness.EvalOptions;
import ai.tarka.eval.harness.EvalRun;
import ai.tarka.eval.harness.ModelResults;
import ai.tarka.eval.harness.ResultsJson;
import ai.tarka.eval.harness.TaskResult;
import ai.tarka.eval.harness.TaskSpec;
import ai.tarka.eval.lm.CausalLmScorer;
import ai.tarka.eval.lm.ModelLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tarka eval --model M --tasks a,b,c}: runs tasks, prints a table, writes JSON. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on tasks (built-in: sentiment, cnn_dailymail, ntrex_en_de, self_instruct, "
                + "tinyshakespeare_ppl, tinystories_ppl, or task YAML files); prints a table and writes JSON with every "
                + "score's signature."},
        subcommands = {ClassifyCommand.class})
public final class EvalCommand implements Callable<Integer>, StagedCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M", description = "stories260K, a .gguf file, or a Hugging Face folder.")
    String model;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer to use instead of the model's own.")
    Path tokenizer;

    @Option(names = "--tasks", paramLabel = "a,b,c", description = "Comma-separated task names or YAML files.")
    String tasks;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N documents per task (perplexity: N windows); 0 = all.")
    int limit;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "1", description = "Requests per forward call (results do not depend on it).")
    int batchSize;

    @Option(names = "--bootstrap", paramLabel = "R", defaultValue = "1000", description = "Bootstrap resamples for standard errors (0: none).")
    int bootstrap;

    @Option(names = "--log-samples", description = "Write every prompt and answer as JSONL beside the output.")
    boolean logSamples;

    @Option(names = "--output", paramLabel = "FILE", description = "Write results JSON here.")
    Path output;

    @picocli.CommandLine.Mixin
    ai.tarka.cli.tracking.TrackingOptions tracking;

    @Override
    public Stage stage() {
        return Stage.EVALUATE;
    }

    @Override
    public Integer call() throws Exception {
        if (model == null || tasks == null)
            throw new ParameterException(spec.commandLine(), "tarka eval needs --model and --tasks (or a subcommand: classify)");
        List<TaskSpec> specs = EvalSetup.tasks(tasks);
        CausalLmScorer scorer = ModelLoader.load(model, tokenizer);
        List<TaskResult> results;
        try (Writer samples = logSamples ? EvalSetup.samplesWriter(output) : null) {
            EvalOptions options = new EvalOptions(limit, batchSize, bootstrap, 1234, samples);
            results = EvalRun.run(scorer, specs, options, System.err::println);
        }
        List<ModelResults> all = List.of(new ModelResults(scorer.name(), results, null));
        System.out.print(ResultsJson.markdown(all));
        if (output != null) {
            ResultsJson.write(output, ResultsJson.build(all, specs, config()));
            System.out.println("wrote " + output);
        }
        record(results);
        return 0;
    }

    /** Records the evaluation as a run: the settings as params, every score as a metric, its signature as a tag. */
    private void record(List<TaskResult> results) {
        try (ai.tarka.tracking.Tracker tracker = tracking.open()) {
            if (tracker == null) return;
            java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
            params.put("model", model);
            params.put("tasks", tasks);
            params.put("limit", limit);
            params.put("batch_size", batchSize);
            params.put("bootstrap", bootstrap);
            try (ai.tarka.tracking.TrackedRun run = tracker.startRun("eval", java.nio.file.Path.of(model).getFileName().toString(), params)) {
                java.util.Map<String, Double> scores = new java.util.LinkedHashMap<>();
                java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
                for (TaskResult r : results) {
                    for (ai.tarka.eval.harness.MetricResult m : r.metrics()) {
                        scores.put(r.task() + "/" + m.metric(), m.value());
                        if (!Double.isNaN(m.stderr())) scores.put(r.task() + "/" + m.metric() + "_stderr", m.stderr());
                        if (m.signature() != null) tags.put("signature." + r.task() + "/" + m.metric(), m.signature());
                    }
                }
                run.logMetrics(0, scores);
                if (!tags.isEmpty()) run.setTags(tags);
                if (output != null) run.logArtifact(output);
            }
        }
    }

    private ObjectNode config() {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("model", model);
        if (tokenizer != null) c.put("tokenizer", tokenizer.toString());
        c.put("tasks", tasks);
        c.put("limit", limit);
        c.put("batch_size", batchSize);
        c.put("bootstrap", bootstrap);
        c.put("seed", 1234);
        return c;
    }
}
