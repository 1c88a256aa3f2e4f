package ai.tarka.tracking.server;

import ai.tarka.tracking.hpo.ParamImportance;
import ai.tarka.tracking.hpo.StudyRecords;
import ai.tarka.tracking.hpo.TrialState;
import ai.tarka.tracking.store.ErrorCode;
import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.TrackingException;
import ai.tarka.tracking.store.TrackingStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON the dashboard needs beyond MLflow's API: several metric histories at once, and a study's trials. */
final class DashboardApi {
    private final TrackingStore store;

    DashboardApi(TrackingStore store) {
        this.store = store;
    }

    ObjectNode handle(String name, MlflowApi.Request r) {
        return switch (name) {
            case "histories" -> histories(r);
            case "study" -> study(r.required("run_id"));
            default -> throw new TrackingException(ErrorCode.ENDPOINT_NOT_FOUND, "No dashboard endpoint " + name);
        };
    }

    /** {runs: {runId: {key: [[step, timestamp, value], ...]}}} for the given runs and keys (all keys if none). */
    private ObjectNode histories(MlflowApi.Request r) {
        List<String> ids = split(r.strings("run_ids"));
        List<String> keys = split(r.strings("keys"));
        ObjectNode out = MlflowJson.JSON.createObjectNode();
        ObjectNode runs = out.putObject("runs");
        for (String id : ids) {
            Run run = store.getRun(id);
            ObjectNode perKey = runs.putObject(id);
            for (String key : keys.isEmpty() ? new ArrayList<>(run.latestMetrics().keySet()) : keys) {
                ArrayNode a = perKey.putArray(key);
                for (Metric m : store.metricHistory(id, key)) {
                    ArrayNode p = a.addArray().add(m.step()).add(m.timestamp());
                    if (Double.isFinite(m.value())) p.add(m.value());
                    else p.addNull();
                }
            }
        }
        return out;
    }

    private static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) for (String s : v.split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    private ObjectNode study(String runId) {
        Run run = store.getRun(runId);
        if (!"study".equals(run.tags().get(StudyRecords.ROLE_TAG))) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Run " + runId + " is not a study run (no tag " + StudyRecords.ROLE_TAG + "=study)");
        }
        boolean maximize = "MAXIMIZE".equals(run.tags().get(StudyRecords.DIRECTION_TAG));
        ObjectNode out = MlflowJson.JSON.createObjectNode();
        out.putObject("study").put("run_id", runId).put("name", run.tags().getOrDefault(StudyRecords.STUDY_TAG, run.info().runName()))
                .put("direction", maximize ? "MAXIMIZE" : "MINIMIZE").put("sampler", run.tags().getOrDefault(StudyRecords.SAMPLER_TAG, ""))
                .put("status", run.info().status().name()).put("experiment_id", run.info().experimentId());
        ArrayNode trials = out.putArray("trials");
        List<Map<String, String>> completeParams = new ArrayList<>();
        List<Double> completeValues = new ArrayList<>();
        for (StudyRecords.StoredTrial t : StudyRecords.trials(store, runId)) {
            ObjectNode o = trials.addObject().put("number", t.number())
                    .put("state", t.interrupted() && t.state() == TrialState.RUNNING ? "FAIL" : t.state().name())
                    .put("run_id", t.runId()).put("start_time", t.start());
            if (t.value() != null) o.put("value", t.value());
            ObjectNode p = o.putObject("params");
            t.params().forEach(p::put);
            ArrayNode inter = o.putArray("intermediate");
            t.intermediate().forEach((step, v) -> {
                ArrayNode pair = inter.addArray().add(step);
                if (Double.isFinite(v)) pair.add(v);
                else pair.addNull();
            });
            if (t.state() == TrialState.COMPLETE && t.value() != null) {
                completeParams.add(t.params());
                completeValues.add(t.value());
            }
        }
        ObjectNode imp = out.putObject("importances");
        ParamImportance.compute(completeParams, completeValues).forEach(imp::put);
        out.put("importance_method", "first-order variance share of binned main effects (fANOVA-lite), over complete trials");
        return out;
    }

    /** GET /artifacts/{runId}/{path}: one artifact file. */
    void artifact(ServerRequest req, ServerResponse res) throws IOException {
        String rest = req.path().path().substring("/artifacts/".length());
        int slash = rest.indexOf('/');
        try {
            if (slash <= 0) throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Expected /artifacts/RUN_ID/PATH");
            Path file = store.artifactFile(rest.substring(0, slash), rest.substring(slash + 1));
            if (!Files.isRegularFile(file)) throw new TrackingException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No artifact " + rest);
            res.header("Content-Type", StaticFiles.contentType(file.getFileName().toString()));
            res.send(Files.readAllBytes(file));
        } catch (TrackingException e) {
            TrackingServer.sendError(res, e);
        }
    }
}
