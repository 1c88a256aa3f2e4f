package ai.tarka.serve.metrics;

import ai.tarka.serve.engine.FinishReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The server's metrics under vLLM's names with a {@code tarka:} prefix, written in the Prometheus text format.
 * Latency histograms use vLLM's bucket bounds; counters and gauges are labelled with {@code model_name}.
 */
public final class ServeMetrics {
    private static final double[] TTFT_BOUNDS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
    private static final double[] ITL_BOUNDS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
    private static final double[] REQUEST_BOUNDS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
            40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

    private final String labels;
    public final Histogram timeToFirstToken = new Histogram(TTFT_BOUNDS);
    public final Histogram interTokenLatency = new Histogram(ITL_BOUNDS);
    public final Histogram timePerOutputToken = new Histogram(ITL_BOUNDS);
    public final Histogram e2eLatency = new Histogram(REQUEST_BOUNDS);
    public final Histogram queueTime = new Histogram(REQUEST_BOUNDS);
    public final AtomicLong promptTokens = new AtomicLong();
    public final AtomicLong generationTokens = new AtomicLong();
    public final AtomicLong preemptions = new AtomicLong();
    public final AtomicLong prefixCacheQueries = new AtomicLong();
    public final AtomicLong prefixCacheHits = new AtomicLong();
    private final Map<FinishReason, AtomicLong> finished = new EnumMap<>(FinishReason.class);
    private volatile DoubleSupplier running = () -> 0;
    private volatile DoubleSupplier waiting = () -> 0;
    private volatile DoubleSupplier kvUsage = () -> 0;
    private volatile DoubleSupplier kvUsedBlocks = () -> 0;

    public ServeMetrics(String modelName) {
        labels = "model_name=\"" + PrometheusText.escape(modelName) + "\"";
        for (FinishReason r : FinishReason.values()) finished.put(r, new AtomicLong());
    }

    public void finished(FinishReason reason) {
        finished.get(reason).incrementAndGet();
    }

    public long finishedCount(FinishReason reason) {
        return finished.get(reason).get();
    }

    /** Where the gauges read their values (the engine's live state). */
    public void gauges(DoubleSupplier running, DoubleSupplier waiting, DoubleSupplier kvUsage, DoubleSupplier kvUsedBlocks) {
        this.running = running;
        this.waiting = waiting;
        this.kvUsage = kvUsage;
        this.kvUsedBlocks = kvUsedBlocks;
    }

    /** The whole exposition. */
    public String scrape() {
        StringBuilder out = new StringBuilder(8192);
        gauge(out, "tarka:num_requests_running", "Requests in the running batch.", running.getAsDouble());
        gauge(out, "tarka:num_requests_waiting", "Requests waiting to be scheduled.", waiting.getAsDouble());
        gauge(out, "tarka:kv_cache_usage_perc", "Fraction of KV-cache blocks in use (1 = full).", kvUsage.getAsDouble());
        gauge(out, "tarka:kv_cache_used_blocks", "KV-cache blocks referenced by sequences.", kvUsedBlocks.getAsDouble());
        counter(out, "tarka:prompt_tokens", "Prompt tokens processed.", promptTokens.get());
        counter(out, "tarka:generation_tokens", "Tokens generated.", generationTokens.get());
        counter(out, "tarka:num_preemptions", "Sequences preempted (to be recomputed).", preemptions.get());
        counter(out, "tarka:prefix_cache_queries", "Prompt tokens looked up in the prefix cache.", prefixCacheQueries.get());
        counter(out, "tarka:prefix_cache_hits", "Prompt tokens found in the prefix cache.", prefixCacheHits.get());
        PrometheusText.header(out, "tarka:request_success_total", "counter", "Finished requests by finish reason.");
        for (FinishReason r : new FinishReason[] {FinishReason.STOP, FinishReason.LENGTH, FinishReason.ABORT}) {
            out.append("tarka:request_success_total{").append(labels).append(",finished_reason=\"").append(r.apiName())
                    .append("\"} ").append(PrometheusText.number(finished.get(r).get())).append('\n');
        }
        histogram(out, "tarka:time_to_first_token_seconds", "Time to first token.", timeToFirstToken);
        histogram(out, "tarka:inter_token_latency_seconds", "Time between consecutive output tokens.", interTokenLatency);
        histogram(out, "tarka:request_time_per_output_token_seconds", "Mean time per output token after the first, per request.", timePerOutputToken);
        histogram(out, "tarka:e2e_request_latency_seconds", "Request latency from arrival to the last token.", e2eLatency);
        histogram(out, "tarka:request_queue_time_seconds", "Time from arrival to first scheduling.", queueTime);
        return out.toString();
    }

    private void gauge(StringBuilder out, String name, String help, double v) {
        PrometheusText.header(out, name, "gauge", help);
        out.append(name).append('{').append(labels).append("} ").append(PrometheusText.number(v)).append('\n');
    }

    private void counter(StringBuilder out, String base, String help, long v) {
        String name = base + "_total";
        PrometheusText.header(out, name, "counter", help);
        out.append(name).append('{').append(labels).append("} ").append(PrometheusText.number(v)).append('\n');
    }

    private void histogram(StringBuilder out, String name, String help, Histogram h) {
        PrometheusText.header(out, name, "histogram", help);
        h.write(out, name, labels);
    }
}
