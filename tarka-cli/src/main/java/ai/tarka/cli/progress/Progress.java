package ai.tarka.cli.progress;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work. On a terminal it is a live bar with rate and ETA; when output is not a
 * terminal (CI logs, pipes) it prints a plain line at most every few seconds, so logs stay readable.
 * Always printed to standard error, so standard output stays clean for results.
 */
public abstract class Progress implements AutoCloseable {

    /** Advances by {@code n} units. */
    public abstract void step(long n);

    /** Sets a short status text shown beside the bar (e.g. the current shape). */
    public abstract void status(String text);

    @Override
    public abstract void close();

    /** A bar on a terminal, plain periodic lines otherwise. */
    public static Progress start(String task, long total, String unit) {
        boolean terminal = System.console() != null && System.console().isTerminal() && !"dumb".equals(System.getenv("TERM"));
        return terminal ? new Bar(task, total, unit) : new Lines(task, total, unit, System.err, Duration.ofSeconds(5));
    }

    /** Plain lines to {@code out} every {@code every} (used for non-terminals and tests). */
    public static Progress lines(String task, long total, String unit, PrintStream out, Duration every) {
        return new Lines(task, total, unit, out, every);
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(String task, long total, String unit) {
            this.bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setUnit(" " + unit, 1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .showSpeed()
                    .setUpdateIntervalMillis(200)
                    .build();
        }

        @Override
        public void step(long n) {
            bar.stepBy(n);
        }

        @Override
        public void status(String text) {
            bar.setExtraMessage(text == null || text.isEmpty() ? "" : " " + text);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Periodic "task: 40/100 unit (40%), 12.3 unit/s, ETA 5s" lines. */
    static final class Lines extends Progress {
        private final String task;
        private final long total;
        private final String unit;
        private final PrintStream out;
        private final long everyNanos;
        private final long startNanos = System.nanoTime();
        private long lastPrint = startNanos;
        private long done;
        private String status = "";

        Lines(String task, long total, String unit, PrintStream out, Duration every) {
            this.task = task;
            this.total = total;
            this.unit = unit;
            this.out = out;
            this.everyNanos = every.toNanos();
        }

        @Override
        public synchronized void step(long n) {
            done += n;
            long now = System.nanoTime();
            if (now - lastPrint >= everyNanos) {
                lastPrint = now;
                out.println(line(now));
            }
        }

        @Override
        public synchronized void status(String text) {
            status = text == null ? "" : text;
        }

        @Override
        public synchronized void close() {
            out.println(line(System.nanoTime()) + " done");
        }

        String line(long now) {
            double secs = Math.max(1e-9, (now - startNanos) / 1e9);
            double rate = done / secs;
            StringBuilder sb = new StringBuilder(task).append(": ").append(done);
            if (total > 0) {
                sb.append('/').append(total).append(' ').append(unit)
                  .append(String.format(" (%.0f%%)", 100.0 * done / total));
            } else {
                sb.append(' ').append(unit);
            }
            sb.append(String.format(", %.1f %s/s", rate, unit));
            if (total > 0 && rate > 0 && done < total) sb.append(", ETA ").append(formatSeconds((total - done) / rate));
            if (!status.isEmpty()) sb.append(", ").append(status);
            return sb.toString();
        }

        static String formatSeconds(double s) {
            long t = Math.round(s);
            if (t < 60) return t + "s";
            if (t < 3600) return (t / 60) + "m" + String.format("%02d", t % 60) + "s";
            return (t / 3600) + "h" + String.format("%02d", (t % 3600) / 60) + "m";
        }
    }
}
