package ai.tarka.serve.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.serve.engine.FinishReason;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exposition parses strictly and carries vLLM's metric names under {@code tarka:}. */
class MetricsExpositionTest {

    @Test
    void scrapeParsesAndHasEveryMetric() {
        ServeMetrics m = new ServeMetrics("stories \"260K\"\n");
        Random r = new Random(3);
        for (int i = 0; i < 57; i++) {
            m.timeToFirstToken.observe(r.nextDouble() * 3);
            m.interTokenLatency.observe(r.nextDouble() / 10);
            m.e2eLatency.observe(r.nextDouble() * 100);
        }
        m.promptTokens.addAndGet(1234);
        m.finished(FinishReason.STOP);
        m.finished(FinishReason.LENGTH);
        m.finished(FinishReason.LENGTH);
        m.gauges(() -> 3, () -> 2, () -> 0.25, () -> 17);
        Map<String, PrometheusTextParser.Family> f = PrometheusTextParser.parse(m.scrape());
        assertThat(f).containsKeys("tarka:time_to_first_token_seconds", "tarka:inter_token_latency_seconds",
                "tarka:request_time_per_output_token_seconds", "tarka:e2e_request_latency_seconds",
                "tarka:request_queue_time_seconds", "tarka:prompt_tokens_total", "tarka:generation_tokens_total",
                "tarka:request_success_total", "tarka:num_preemptions_total", "tarka:prefix_cache_queries_total",
                "tarka:prefix_cache_hits_total", "tarka:num_requests_running", "tarka:num_requests_waiting",
                "tarka:kv_cache_usage_perc");
        assertThat(f.get("tarka:time_to_first_token_seconds").type()).isEqualTo("histogram");
        assertThat(f.get("tarka:prompt_tokens_total").samples().getFirst().value()).isEqualTo(1234);
        assertThat(f.get("tarka:prompt_tokens_total").samples().getFirst().labels()).containsEntry("model_name", "stories \"260K\"\n");
        var byReason = f.get("tarka:request_success_total").samples();
        assertThat(byReason).anySatisfy(s -> {
            assertThat(s.labels()).containsEntry("finished_reason", "length");
            assertThat(s.value()).isEqualTo(2);
        });
        var ttftCount = f.get("tarka:time_to_first_token_seconds").samples().stream()
                .filter(s -> s.name().endsWith("_count")).findFirst().orElseThrow();
        assertThat(ttftCount.value()).isEqualTo(57);
        assertThat(f.get("tarka:kv_cache_usage_perc").samples().getFirst().value()).isEqualTo(0.25);
        assertThat(f.get("tarka:num_requests_running").samples().getFirst().value()).isEqualTo(3);
    }

    @Test
    void theParserIsStrict() {
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a counter\na{x=\"1} 1\n")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a counter\nb 1\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\na one\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
