package ai.tarka.tracking.store;

import java.util.List;
import java.util.Map;

/** A run with its data: params, tags, the latest value of each metric, and its inputs. */
public record Run(RunInfo info, Map<String, String> params, Map<String, String> tags,
                  Map<String, Metric> latestMetrics, List<RunInput> inputs) {
}
