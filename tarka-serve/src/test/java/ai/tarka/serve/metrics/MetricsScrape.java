package ai.tarka.serve.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test access to the strict parser: the first sample value of each metric and histogram count, by name. */
public final class MetricsScrape {
    private MetricsScrape() {}

    public static Map<String, Double> parse(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (var f : PrometheusTextParser.parse(text).values()) {
            for (var s : f.samples()) out.putIfAbsent(s.name(), s.value());
        }
        return out;
    }
}
