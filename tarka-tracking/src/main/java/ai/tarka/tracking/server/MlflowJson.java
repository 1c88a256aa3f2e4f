package ai.tarka.tracking.server;

import ai.tarka.tracking.store.ArtifactFile;
import ai.tarka.tracking.store.Experiment;
import ai.tarka.tracking.store.Metric;
import ai.tarka.tracking.store.Run;
import ai.tarka.tracking.store.RunInfo;
import ai.tarka.tracking.store.RunInput;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Store records as MLflow's REST JSON (protobuf field names; non-finite metric values as strings like MLflow). */
public final class MlflowJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private MlflowJson() {
    }

    public static ObjectNode experiment(Experiment e) {
        ObjectNode o = JSON.createObjectNode()
                .put("experiment_id", e.id()).put("name", e.name()).put("artifact_location", e.artifactLocation())
                .put("lifecycle_stage", e.lifecycleStage()).put("last_update_time", e.lastUpdateTime())
                .put("creation_time", e.creationTime());
        keyValues(o.putArray("tags"), e.tags());
        return o;
    }

    public static ObjectNode runInfo(RunInfo i) {
        ObjectNode o = JSON.createObjectNode().put("run_id", i.runId()).put("run_uuid", i.runId())
                .put("run_name", i.runName()).put("experiment_id", i.experimentId()).put("user_id", "")
                .put("status", i.status().name()).put("start_time", i.startTime());
        if (i.endTime() != null) o.put("end_time", i.endTime());
        o.put("artifact_uri", i.artifactUri()).put("lifecycle_stage", i.lifecycleStage());
        return o;
    }

    public static ObjectNode run(Run r) {
        ObjectNode o = JSON.createObjectNode();
        o.set("info", runInfo(r.info()));
        ObjectNode data = o.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        for (Metric m : r.latestMetrics().values()) metrics.add(metric(m));
        keyValues(data.putArray("params"), r.params());
        keyValues(data.putArray("tags"), r.tags());
        ArrayNode inputs = o.putObject("inputs").putArray("dataset_inputs");
        for (RunInput in : r.inputs()) {
            ObjectNode di = inputs.addObject();
            di.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", in.kind());
            di.putObject("dataset").put("name", in.path()).put("digest", in.digest()).put("source_type", "local")
                    .put("source", in.path());
        }
        return o;
    }

    public static ObjectNode metric(Metric m) {
        ObjectNode o = JSON.createObjectNode().put("key", m.key());
        double v = m.value();
        if (Double.isNaN(v)) o.put("value", "NaN");
        else if (Double.isInfinite(v)) o.put("value", v > 0 ? "Infinity" : "-Infinity");
        else o.put("value", v);
        return o.put("timestamp", m.timestamp()).put("step", m.step());
    }

    public static ObjectNode fileInfo(ArtifactFile f) {
        ObjectNode o = JSON.createObjectNode().put("path", f.path()).put("is_dir", f.isDir());
        if (!f.isDir()) o.put("file_size", f.fileSize());
        return o;
    }

    private static void keyValues(ArrayNode a, Map<String, String> map) {
        map.forEach((k, v) -> a.addObject().put("key", k).put("value", v));
    }
}
