package ai.tarka.eval.harness;

import ai.tarka.eval.harness.TaskSpec.OutputType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads task YAML files. Unknown keys, missing required keys and values of the wrong kind are rejected with the
 * file and the key named. Built-in tasks are resources under {@code ai/tarka/eval/tasks/NAME.yaml}.
 */
public final class TaskSpecs {
    private TaskSpecs() {}

    /** The built-in task names. */
    public static final List<String> BUILT_IN = List.of("sentiment", "cnn_dailymail", "ntrex_en_de", "self_instruct",
            "tinyshakespeare_ppl", "tinystories_ppl");

    private static final Set<String> KNOWN = Set.of("task", "description", "dataset_path", "data_format", "columns",
            "output_type", "doc_to_text", "doc_to_target", "doc_to_choice", "num_fewshot", "fewshot_delimiter",
            "target_delimiter", "generation_kwargs", "metric_list", "window_length", "stride", "text_offset",
            "text_chars", "fewshot_seed");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A built-in task by name, or a task file by path. */
    public static TaskSpec resolve(String nameOrPath) {
        Path p = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || Files.isRegularFile(p)) return load(p);
        String resource = "/ai/tarka/eval/tasks/" + nameOrPath + ".yaml";
        try (InputStream in = TaskSpecs.class.getResourceAsStream(resource)) {
            if (in == null)
                throw new TaskFileException("task '" + nameOrPath + "': not a task file and not a built-in task (built-in: "
                        + String.join(", ", BUILT_IN) + ")");
            return parse(YAML.readTree(in), "builtin:" + nameOrPath, null);
        } catch (IOException e) {
            throw new TaskFileException("task '" + nameOrPath + "': cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    public static TaskSpec load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new TaskFileException("task file " + file + ": not valid YAML: " + e.getMessage(), e);
        }
        return parse(root, file.toString(), file.toAbsolutePath().getParent());
    }

    static TaskSpec parse(JsonNode root, String source, Path baseDir) {
        if (root == null || !root.isObject()) throw new TaskFileException("task file " + source + ": expected a YAML mapping of task fields");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) throw new TaskFileException("task file " + source + ": unknown field '" + k + "' (known: " + String.join(", ", KNOWN.stream().sorted().toList()) + ")");
        }
        String name = requireText(root, "task", source);
        String outputText = requireText(root, "output_type", source);
        OutputType type = OutputType.parse(outputText);
        if (type == null)
            throw new TaskFileException("task file " + source + ": field 'output_type' is '" + outputText
                    + "' (expected loglikelihood, multiple_choice, generate_until or loglikelihood_rolling)");
        JsonNode dataNode = root.get("dataset_path");
        if (dataNode == null) throw missing(source, "dataset_path");
        String dataPath = null;
        Map<String, String> lineFiles = null;
        if (dataNode.isTextual()) {
            dataPath = resolvePath(dataNode.asText(), baseDir);
        } else if (dataNode.isObject()) {
            lineFiles = new LinkedHashMap<>();
            for (var e : dataNode.properties()) lineFiles.put(e.getKey(), resolvePath(e.getValue().asText(), baseDir));
        } else {
            throw new TaskFileException("task file " + source + ": field 'dataset_path' must be a path or a mapping column → text file");
        }
        String format = text(root, "data_format", null, source);
        if (format == null) format = lineFiles != null ? "lines" : DataFiles.formatOf(dataPath);
        List<String> columns = null;
        if (root.has("columns")) {
            columns = new ArrayList<>();
            if (!root.get("columns").isArray()) throw new TaskFileException("task file " + source + ": field 'columns' must be a list of names");
            for (JsonNode c : root.get("columns")) columns.add(c.asText());
        }
        String docToText = null, docToTarget = null;
        Object docToChoice = null;
        if (type != OutputType.LOGLIKELIHOOD_ROLLING) {
            docToText = requireText(root, "doc_to_text", source);
            docToTarget = requireScalar(root, "doc_to_target", source);
        } else {
            docToText = text(root, "doc_to_text", null, source);
        }
        if (type == OutputType.MULTIPLE_CHOICE) {
            JsonNode c = root.get("doc_to_choice");
            if (c == null) throw missing(source, "doc_to_choice");
            if (c.isArray()) {
                List<String> list = new ArrayList<>();
                for (JsonNode x : c) list.add(x.asText());
                docToChoice = list;
            } else {
                docToChoice = c.asText();
            }
        }
        List<String> until = new ArrayList<>(List.of("\n\n"));
        int maxGen = 64;
        JsonNode gk = root.get("generation_kwargs");
        if (gk != null) {
            if (!gk.isObject()) throw new TaskFileException("task file " + source + ": field 'generation_kwargs' must be a mapping");
            for (Iterator<String> it = gk.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!Set.of("until", "max_gen_toks", "do_sample", "temperature").contains(k))
                    throw new TaskFileException("task file " + source + ": unknown field 'generation_kwargs." + k + "'");
            }
            if (gk.has("until")) {
                until.clear();
                if (gk.get("until").isArray()) gk.get("until").forEach(u -> until.add(u.asText()));
                else until.add(gk.get("until").asText());
            }
            if (gk.has("max_gen_toks")) maxGen = positiveInt(gk, "max_gen_toks", source);
            if (gk.path("do_sample").asBoolean(false))
                throw new TaskFileException("task file " + source + ": generation_kwargs.do_sample: only greedy decoding is supported");
        }
        List<String> metrics = new ArrayList<>();
        JsonNode ml = root.get("metric_list");
        if (ml == null) throw missing(source, "metric_list");
        if (!ml.isArray() || ml.isEmpty()) throw new TaskFileException("task file " + source + ": field 'metric_list' must be a non-empty list");
        Map<String, Map<String, String>> metricOptions = new LinkedHashMap<>();
        for (JsonNode m : ml) {
            String metric = m.isObject() ? m.path("metric").asText(null) : m.asText();
            if (metric == null) throw new TaskFileException("task file " + source + ": a metric_list entry has no 'metric' field");
            Metrics.check(metric, type, source);
            metrics.add(metric);
            if (m.isObject()) {
                Map<String, String> opts = new LinkedHashMap<>();
                for (var e : m.properties()) {
                    if (e.getKey().equals("metric") || e.getKey().equals("aggregation") || e.getKey().equals("higher_is_better")) continue;
                    Metrics.checkOption(metric, e.getKey(), e.getValue().asText(), source);
                    opts.put(e.getKey(), e.getValue().asText());
                }
                if (!opts.isEmpty()) metricOptions.put(metric, Map.copyOf(opts));
            }
        }
        int numFewshot = root.has("num_fewshot") ? nonNegativeInt(root, "num_fewshot", source) : 0;
        return new TaskSpec(name, source, dataPath, format, columns, lineFiles, type, text(root, "description", "", source),
                docToText, docToTarget, docToChoice, numFewshot, text(root, "fewshot_delimiter", "\n\n", source),
                text(root, "target_delimiter", " ", source), List.copyOf(until), maxGen, List.copyOf(metrics),
                root.has("window_length") ? positiveInt(root, "window_length", source) : 0,
                root.has("stride") ? positiveInt(root, "stride", source) : 0,
                root.has("text_offset") ? root.get("text_offset").asLong() : 0,
                root.has("text_chars") ? positiveInt(root, "text_chars", source) : 0,
                root.has("fewshot_seed") ? root.get("fewshot_seed").asLong() : 1234, Map.copyOf(metricOptions));
    }

    /** Absolute paths stay; a relative path is taken against the task file's folder if it exists there, else shared data. */
    private static String resolvePath(String p, Path baseDir) {
        Path path = Path.of(p);
        if (path.isAbsolute()) return p;
        if (baseDir != null && Files.exists(baseDir.resolve(p))) return baseDir.resolve(p).toString();
        return "shared:" + p;
    }

    private static TaskFileException missing(String source, String field) {
        return new TaskFileException("task file " + source + ": missing required field '" + field + "'");
    }

    private static String requireText(JsonNode root, String field, String source) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw missing(source, field);
        if (!n.isTextual()) throw new TaskFileException("task file " + source + ": field '" + field + "' must be a string");
        return n.asText();
    }

    private static String requireScalar(JsonNode root, String field, String source) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw missing(source, field);
        if (!n.isValueNode()) throw new TaskFileException("task file " + source + ": field '" + field + "' must be a field name, template or value");
        return n.asText();
    }

    private static String text(JsonNode root, String field, String dflt, String source) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isValueNode()) throw new TaskFileException("task file " + source + ": field '" + field + "' must be a string");
        return n.asText();
    }

    private static int positiveInt(JsonNode root, String field, String source) {
        JsonNode n = root.get(field);
        if (!n.canConvertToInt() || n.asInt() <= 0 || !n.isIntegralNumber())
            throw new TaskFileException("task file " + source + ": field '" + field + "' must be a positive integer, got " + n);
        return n.asInt();
    }

    private static int nonNegativeInt(JsonNode root, String field, String source) {
        JsonNode n = root.get(field);
        if (!n.isIntegralNumber() || n.asInt() < 0)
            throw new TaskFileException("task file " + source + ": field '" + field + "' must be an integer >= 0, got " + n);
        return n.asInt();
    }

    /** The spec as a JSON object for results files. */
    public static ObjectNode toJson(TaskSpec t) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("task", t.name());
        o.put("source", t.sourceFile());
        if (t.dataPath() != null) o.put("dataset_path", t.dataPath());
        if (t.lineFiles() != null) o.putPOJO("dataset_path", t.lineFiles());
        o.put("output_type", t.outputType().yaml());
        o.put("num_fewshot", t.numFewshot());
        o.putPOJO("metric_list", t.metrics());
        if (t.outputType() == OutputType.GENERATE_UNTIL) {
            o.putPOJO("until", t.until());
            o.put("max_gen_toks", t.maxGenToks());
        }
        return o;
    }
}
