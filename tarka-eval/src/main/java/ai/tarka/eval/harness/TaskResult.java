package ai.tarka.eval.harness;

import java.util.List;

/** The scores of one task on one model. */
public record TaskResult(String task, String outputType, int documents, List<MetricResult> metrics, double seconds) {

    public MetricResult metric(String name) {
        for (MetricResult m : metrics) if (m.metric().equals(name)) return m;
        throw new IllegalArgumentException("task " + task + " has no metric '" + name + "' (has "
                + metrics.stream().map(MetricResult::metric).toList() + ")");
    }
}
