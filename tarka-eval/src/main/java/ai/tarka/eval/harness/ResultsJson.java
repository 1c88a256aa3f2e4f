package ai.tarka.eval.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * The results file: {@code {"time", "config", "tasks": [task specs], "models": [{"model", "speed",
 * "results": {task: {metric: {"value", "stderr", "signature"}}}}]}}, written to a temporary name and moved into place.
 */
public final class ResultsJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {}

    public static ObjectNode build(List<ModelResults> models, List<TaskSpec> tasks, ObjectNode config) {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", Instant.now().toString());
        root.set("config", config);
        ArrayNode ts = root.putArray("tasks");
        for (TaskSpec t : tasks) ts.add(TaskSpecs.toJson(t));
        ArrayNode ms = root.putArray("models");
        for (ModelResults m : models) {
            ObjectNode mo = ms.addObject();
            mo.put("model", m.model());
            if (m.speed() != null) mo.set("speed", JSON.valueToTree(m.speed()));
            ObjectNode results = mo.putObject("results");
            for (TaskResult t : m.tasks()) {
                ObjectNode to = results.putObject(t.task());
                to.put("output_type", t.outputType());
                to.put("documents", t.documents());
                to.put("seconds", t.seconds());
                for (MetricResult r : t.metrics()) {
                    ObjectNode mr = to.putObject(r.metric());
                    mr.put("value", r.value());
                    if (!Double.isNaN(r.stderr())) mr.put("stderr", r.stderr());
                    if (!Double.isNaN(r.ciLow())) mr.putArray("ci95").add(r.ciLow()).add(r.ciHigh());
                    mr.put("signature", r.signature());
                }
            }
        }
        return root;
    }

    public static void write(Path file, ObjectNode root) throws IOException {
        writeAtomically(file, JSON.writeValueAsString(root));
    }

    /** Writes {@code text} to a temporary file beside {@code file} and moves it into place atomically. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        // a plain sibling name, so the file gets the usual permissions (createTempFile would make it owner-only)
        Path tmp = abs.resolveSibling(abs.getFileName() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().threadId() + ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A table of task, metric, value ± stderr per model, for the terminal and Markdown. */
    public static String markdown(List<ModelResults> models) {
        StringBuilder sb = new StringBuilder("| model | task | metric | value | ± stderr |\n|---|---|---|---:|---:|\n");
        for (ModelResults m : models) {
            for (TaskResult t : m.tasks()) {
                for (MetricResult r : t.metrics()) {
                    sb.append("| ").append(m.model()).append(" | ").append(t.task()).append(" | ").append(r.metric())
                            .append(" | ").append(String.format(java.util.Locale.ROOT, "%.4f", r.value())).append(" | ")
                            .append(Double.isNaN(r.stderr()) ? "" : String.format(java.util.Locale.ROOT, "%.4f", r.stderr()))
                            .append(" |\n");
                }
            }
        }
        return sb.toString();
    }
}
