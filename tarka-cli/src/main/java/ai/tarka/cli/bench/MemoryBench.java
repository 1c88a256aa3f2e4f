package ai.tarka.cli.bench;

import ai.tarka.kernels.ComputePool;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tarka bench memory}: main-memory bandwidth (read, copy, triad) with the given threads. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Memory bandwidth: read, copy and triad over arrays far larger than the caches (STREAM byte counts).")
public final class MemoryBench implements Callable<Integer> {
    @Option(names = "--threads", defaultValue = "2", description = "Threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--mb", defaultValue = "256", description = "MiB per array (three arrays; default: ${DEFAULT-VALUE}).")
    int mb;

    @Option(names = "--passes", defaultValue = "10", description = "Passes per kernel; the best is reported (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--json", description = "Also write the figures as JSON records to FILE.")
    Path json;

    /** Bandwidths in GB/s measured with {@code threads} threads: read, copy, triad, each wall-clock and CPU-normalised. */
    record Result(double read, double copy, double triad, double readCpu, double copyCpu, double triadCpu) {}

    static Result measure(int threads, int mb, int passes) {
        ComputePool pool = threads == ComputePool.shared().threads() ? ComputePool.shared() : new ComputePool(threads);
        MemoryBandwidth m = new MemoryBandwidth(mb * (1 << 18), pool);
        for (MemoryBandwidth.Kind k : MemoryBandwidth.Kind.values()) m.pass(k); // touch pages, compile
        double[] r = m.gbPerSecond(MemoryBandwidth.Kind.READ, passes), c = m.gbPerSecond(MemoryBandwidth.Kind.COPY, passes),
                t = m.gbPerSecond(MemoryBandwidth.Kind.TRIAD, passes);
        return new Result(r[0], c[0], t[0], r[1], c[1], t[1]);
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || mb < 1 || passes < 1) throw new IllegalArgumentException("bench memory: --threads, --mb and --passes must be >= 1");
        Result r = measure(threads, mb, passes);
        BenchReport rep = new BenchReport("Memory bandwidth (best of " + passes + " passes)", "kernel", "GB/s", "GB/s (cpu-norm)", "bytes/element");
        rep.context("threads", threads).context("array", mb + " MiB x 3");
        rep.row("read", String.format(Locale.ROOT, "%.2f", r.read()), String.format(Locale.ROOT, "%.2f", r.readCpu()), "4");
        rep.row("copy", String.format(Locale.ROOT, "%.2f", r.copy()), String.format(Locale.ROOT, "%.2f", r.copyCpu()), "8");
        rep.row("triad", String.format(Locale.ROOT, "%.2f", r.triad()), String.format(Locale.ROOT, "%.2f", r.triadCpu()), "12");
        rep.context("cpu-norm", "bytes / (process CPU seconds / threads): the bandwidth while the threads run (the machine may be shared)");
        rep.record(BenchRecord.of("memory.read", r.read(), "GB/s"));
        rep.record(BenchRecord.of("memory.copy", r.copy(), "GB/s"));
        rep.record(BenchRecord.of("memory.triad", r.triad(), "GB/s"));
        rep.print(System.out);
        if (json != null) rep.writeJson(json);
        return 0;
    }
}
