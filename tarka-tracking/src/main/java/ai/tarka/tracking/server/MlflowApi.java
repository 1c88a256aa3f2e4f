package ai.tarka.tracking.server;

import ai.tarka.tracking.search.RunSearch;
import ai.tarka.tracking.store.ArtifactFile;
import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.Experiment;
import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.RunInput;
import ai.tarka.tracking.store.RunStatus;
import ai.tarka.tracking.store.TrackingException;
import ai.tarka.tracking.store.TrackingStore;
import ai.tarka.tracking.store.ViewType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MLflow tracking REST endpoints as functions from a request (JSON body merged with query parameters) to a
 * response; {@link TrackingServer} binds them to HTTP paths. Errors are {@link TrackingException}s carrying
 * MLflow's error code.
 */
public final class MlflowApi {
    /** An endpoint: request fields in, response JSON out. */
    @FunctionalInterface
    public interface Endpoint {
        ObjectNode handle(Request request);
    }

    private final TrackingStore store;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    public MlflowApi(TrackingStore store) {
        this.store = store;
        endpoints.put("experiments/create", this::createExperiment);
        endpoints.put("experiments/get", this::getExperiment);
        endpoints.put("experiments/get-by-name", this::getExperimentByName);
        endpoints.put("experiments/search", this::searchExperiments);
        endpoints.put("experiments/list", this::searchExperiments);
        endpoints.put("experiments/set-experiment-tag", this::setExperimentTag);
        endpoints.put("runs/create", this::createRun);
        endpoints.put("runs/get", this::getRun);
        endpoints.put("runs/update", this::updateRun);
        endpoints.put("runs/delete", this::deleteRun);
        endpoints.put("runs/restore", this::restoreRun);
        endpoints.put("runs/search", this::searchRuns);
        endpoints.put("runs/log-metric", this::logMetric);
        endpoints.put("runs/log-parameter", this::logParam);
        endpoints.put("runs/log-batch", this::logBatch);
        endpoints.put("runs/log-inputs", this::logInputs);
        endpoints.put("runs/set-tag", this::setTag);
        endpoints.put("runs/delete-tag", this::deleteTag);
        endpoints.put("metrics/get-history", this::metricHistory);
        endpoints.put("artifacts/list", this::listArtifacts);
    }

    public Map<String, Endpoint> endpoints() {
        return endpoints;
    }

    /** Request fields: the JSON body, overlaid with query parameters (GET endpoints use those). */
    public record Request(JsonNode body, Map<String, List<String>> query) {
        String string(String name) {
            List<String> q = query.get(name);
            if (q != null && !q.isEmpty()) return q.getFirst();
            JsonNode n = body.get(name);
            return n == null || n.isNull() ? null : n.asText();
        }

        String required(String name) {
            String v = string(name);
            if (v == null || v.isEmpty()) {
                throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Missing value for required parameter '" + name + "'.");
            }
            return v;
        }

        String runId() {
            String v = string("run_id");
            if (v == null || v.isEmpty()) v = string("run_uuid");
            if (v == null || v.isEmpty()) {
                throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Missing value for required parameter 'run_id'.");
            }
            return v;
        }

        Long longValue(String name) {
            String v = string(name);
            if (v == null || v.isEmpty()) return null;
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value '" + v + "' for parameter '" + name + "': expected an integer");
            }
        }

        List<String> strings(String name) {
            List<String> out = new ArrayList<>();
            List<String> q = query.get(name);
            if (q != null) out.addAll(q);
            JsonNode n = body.get(name);
            if (n != null && n.isArray()) n.forEach(x -> out.add(x.asText()));
            else if (n != null && !n.isNull()) out.add(n.asText());
            return out;
        }
    }

    private static ObjectNode obj() {
        return MlflowJson.JSON.createObjectNode();
    }

    private ObjectNode createExperiment(Request r) {
        Map<String, String> tags = keyValues(r.body().get("tags"), "tags");
        String id = store.createExperiment(r.required("name"), r.string("artifact_location"), tags);
        return obj().put("experiment_id", id);
    }

    private ObjectNode getExperiment(Request r) {
        ObjectNode o = obj();
        o.set("experiment", MlflowJson.experiment(store.getExperiment(r.required("experiment_id"))));
        return o;
    }

    private ObjectNode getExperimentByName(Request r) {
        String name = r.required("experiment_name");
        Experiment e = store.getExperimentByName(name).orElseThrow(() ->
                new TrackingException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Could not find experiment with name '" + name + "'"));
        ObjectNode o = obj();
        o.set("experiment", MlflowJson.experiment(e));
        return o;
    }

    private ObjectNode searchExperiments(Request r) {
        ViewType view = ViewType.parse(r.string("view_type"));
        List<Experiment> all = store.searchExperiments(view);
        String filter = r.string("filter");
        if (filter != null && !filter.isBlank()) {
            // MLflow filters experiments by name (and tags); support name = / LIKE / ILIKE.
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)^\\s*(?:attribute\\.)?name\\s*(=|!=|LIKE|ILIKE)\\s*['\"](.*)['\"]\\s*$").matcher(filter);
            if (!m.matches()) throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Unsupported experiment filter '" + filter + "': use name = / != / LIKE / ILIKE 'value'");
            String op = m.group(1).toUpperCase(java.util.Locale.ROOT), v = m.group(2);
            all = all.stream().filter(e -> switch (op) {
                case "=" -> e.name().equals(v);
                case "!=" -> !e.name().equals(v);
                default -> likeMatches(v, e.name(), op.equals("ILIKE"));
            }).toList();
        }
        Long max = r.longValue("max_results");
        if (max != null && (max <= 0 || max > 50_000)) throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value " + max + " for parameter 'max_results': it must be between 1 and 50000");
        int limit = max == null ? 1000 : max.intValue();
        int offset = RunSearch.decodeToken(r.string("page_token"));
        ObjectNode o = obj();
        ArrayNode a = o.putArray("experiments");
        for (int i = offset; i < Math.min(all.size(), offset + limit); i++) a.add(MlflowJson.experiment(all.get(i)));
        if (offset + limit < all.size()) o.put("next_page_token", RunSearch.encodeToken(offset + limit));
        return o;
    }

    private static boolean likeMatches(String pattern, String s, boolean ignoreCase) {
        String re = java.util.regex.Pattern.quote(pattern).replace("%", "\\E.*\\Q").replace("_", "\\E.\\Q");
        return java.util.regex.Pattern.compile(re, ignoreCase ? java.util.regex.Pattern.CASE_INSENSITIVE : 0).matcher(s).matches();
    }

    private ObjectNode setExperimentTag(Request r) {
        store.setExperimentTag(r.required("experiment_id"), r.required("key"), r.required("value"));
        return obj();
    }

    private ObjectNode createRun(Request r) {
        String experimentId = r.string("experiment_id");
        if (experimentId == null || experimentId.isEmpty()) experimentId = store.experimentId(TrackingStore.DEFAULT_EXPERIMENT);
        Map<String, String> tags = keyValues(r.body().get("tags"), "tags");
        Long start = r.longValue("start_time");
        String name = r.string("run_name");
        if (name == null || name.isEmpty()) name = tags.get("mlflow.runName");
        String parent = tags.get("mlflow.parentRunId");
        var info = store.createRun(experimentId, name, start == null ? store.now() : start, parent, tags, false);
        ObjectNode o = obj();
        o.set("run", MlflowJson.run(store.getRun(info.runId())));
        return o;
    }

    private ObjectNode getRun(Request r) {
        ObjectNode o = obj();
        o.set("run", MlflowJson.run(store.getRun(r.runId())));
        return o;
    }

    private ObjectNode updateRun(Request r) {
        String status = r.string("status");
        var info = store.updateRun(r.runId(), status == null || status.isEmpty() ? null : RunStatus.parse(status),
                r.longValue("end_time"), r.string("run_name"), null);
        ObjectNode o = obj();
        o.set("run_info", MlflowJson.runInfo(info));
        return o;
    }

    private ObjectNode deleteRun(Request r) {
        store.deleteRun(r.runId());
        return obj();
    }

    private ObjectNode restoreRun(Request r) {
        store.restoreRun(r.runId());
        return obj();
    }

    private ObjectNode searchRuns(Request r) {
        List<String> experimentIds = r.strings("experiment_ids");
        Long max = r.longValue("max_results");
        RunSearch.Page page = RunSearch.search(store, experimentIds, r.string("filter"), ViewType.parse(r.string("run_view_type")),
                max == null ? RunSearch.DEFAULT_MAX_RESULTS : (int) Math.min(Integer.MAX_VALUE, max), r.strings("order_by"), r.string("page_token"));
        ObjectNode o = obj();
        ArrayNode runs = o.putArray("runs");
        for (Run run : page.runs()) runs.add(MlflowJson.run(run));
        if (page.nextPageToken() != null) o.put("next_page_token", page.nextPageToken());
        return o;
    }

    private ObjectNode logMetric(Request r) {
        store.logMetric(r.runId(), metric(r.body(), r));
        return obj();
    }

    private ObjectNode logParam(Request r) {
        store.logParam(r.runId(), r.required("key"), r.required("value"));
        return obj();
    }

    private ObjectNode setTag(Request r) {
        store.setTag(r.runId(), r.required("key"), r.required("value"));
        return obj();
    }

    private ObjectNode deleteTag(Request r) {
        store.deleteTag(r.runId(), r.required("key"));
        return obj();
    }

    private ObjectNode logBatch(Request r) {
        JsonNode b = r.body();
        List<Metric> metrics = new ArrayList<>();
        JsonNode ms = b.get("metrics");
        if (ms != null && ms.isArray()) for (JsonNode m : ms) metrics.add(metric(m, null));
        List<Map.Entry<String, String>> params = entries(b.get("params"), "params");
        List<Map.Entry<String, String>> tags = entries(b.get("tags"), "tags");
        store.logBatch(r.runId(), metrics, params, tags);
        return obj();
    }

    private ObjectNode logInputs(Request r) {
        String runId = r.runId();
        JsonNode ds = r.body().get("datasets");
        if (ds != null && ds.isArray()) {
            for (JsonNode d : ds) {
                String kind = "dataset";
                for (JsonNode t : d.path("tags")) if (t.path("key").asText().equals("mlflow.data.context")) kind = t.path("value").asText();
                JsonNode dataset = d.path("dataset");
                store.logInput(runId, new RunInput(kind, dataset.path("source").asText(dataset.path("name").asText()), dataset.path("digest").asText("")));
            }
        }
        return obj();
    }

    private ObjectNode metricHistory(Request r) {
        String key = r.required("metric_key");
        List<Metric> all = store.metricHistory(r.runId(), key);
        Long max = r.longValue("max_results");
        int offset = RunSearch.decodeToken(r.string("page_token"));
        if (max != null && max <= 0) throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "max_results must be positive, got " + max);
        int end = max == null ? all.size() : (int) Math.min(all.size(), offset + max);
        ObjectNode o = obj();
        ArrayNode a = o.putArray("metrics");
        for (int i = offset; i < end; i++) a.add(MlflowJson.metric(all.get(i)));
        if (end < all.size()) o.put("next_page_token", RunSearch.encodeToken(end));
        return o;
    }

    private ObjectNode listArtifacts(Request r) {
        String runId = r.runId();
        var info = store.getRunInfo(runId);
        ObjectNode o = obj().put("root_uri", info.artifactUri());
        ArrayNode files = o.putArray("files");
        for (ArtifactFile f : store.listArtifacts(runId, r.string("path"))) files.add(MlflowJson.fileInfo(f));
        return o;
    }

    private static Metric metric(JsonNode m, Request r) {
        String key = text(m, "key", r);
        if (key == null || key.isEmpty()) throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Missing value for required parameter 'key'.");
        JsonNode v = m.get("value");
        String vs = r != null ? r.string("value") : (v == null || v.isNull() ? null : v.asText());
        if (vs == null) throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Missing value for required parameter 'value' of metric '" + key + "'.");
        double value;
        try {
            value = Double.parseDouble(vs);
        } catch (NumberFormatException e) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Got invalid value " + vs + " for metric '" + key + "' (must be a number)");
        }
        String ts = text(m, "timestamp", r);
        if (ts == null || ts.isEmpty()) throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Missing value for required parameter 'timestamp' of metric '" + key + "'.");
        String step = text(m, "step", r);
        try {
            return new Metric(key, value, Long.parseLong(ts), step == null || step.isEmpty() ? 0 : Long.parseLong(step));
        } catch (NumberFormatException e) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid timestamp or step for metric '" + key + "': " + e.getMessage());
        }
    }

    private static String text(JsonNode m, String field, Request r) {
        if (r != null) return r.string(field);
        JsonNode n = m.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static List<Map.Entry<String, String>> entries(JsonNode array, String what) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (array == null || array.isNull()) return out;
        if (!array.isArray()) throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "'" + what + "' must be an array of {key, value}");
        for (JsonNode kv : array) {
            JsonNode v = kv.get("value");
            out.add(new AbstractMap.SimpleImmutableEntry<>(kv.path("key").asText(""), v == null || v.isNull() ? null : v.asText()));
        }
        return out;
    }

    private static Map<String, String> keyValues(JsonNode array, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries(array, what)) out.put(e.getKey(), e.getValue());
        return out;
    }
}
