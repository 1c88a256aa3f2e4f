package ai.tarka.serve.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/** A Prometheus histogram with fixed upper bounds: cumulative bucket counts, sum and count. Thread-safe. */
public final class Histogram {
    private final double[] bounds;
    private final AtomicLong[] counts;
    private final DoubleAdder sum = new DoubleAdder();
    private final AtomicLong count = new AtomicLong();

    public Histogram(double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) throw new IllegalArgumentException("Histogram: bounds must increase: " + bounds[i - 1] + ", " + bounds[i]);
        }
        this.bounds = bounds.clone();
        counts = new AtomicLong[bounds.length];
        for (int i = 0; i < counts.length; i++) counts[i] = new AtomicLong();
    }

    public void observe(double v) {
        for (int i = 0; i < bounds.length; i++) {
            if (v <= bounds[i]) {
                counts[i].incrementAndGet();
                break;
            }
        }
        sum.add(v);
        count.incrementAndGet();
    }

    public long count() {
        return count.get();
    }

    public double sum() {
        return sum.sum();
    }

    /** Appends the {@code _bucket}, {@code _sum} and {@code _count} lines under {@code name} with {@code labels}. */
    void write(StringBuilder out, String name, String labels) {
        long total = count.get();
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].get();
            out.append(name).append("_bucket{").append(labels).append(",le=\"").append(PrometheusText.number(bounds[i]))
                    .append("\"} ").append(Math.min(cumulative, total)).append('\n');
        }
        out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(total).append('\n');
        out.append(name).append("_sum{").append(labels).append("} ").append(PrometheusText.number(sum.sum())).append('\n');
        out.append(name).append("_count{").append(labels).append("} ").append(total).append('\n');
    }
}
