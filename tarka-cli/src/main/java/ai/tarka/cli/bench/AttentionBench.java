package ai.tarka.cli.bench;

import ai.tarka.cli.progress.Progress;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.attention.AttentionMaskSpec;
import ai.tarka.kernels.attention.AttentionShape;
import ai.tarka.kernels.attention.ComposedAttention;
import ai.tarka.kernels.attention.FlashAttention;
import ai.tarka.kernels.gemm.Gemms;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tarka bench attention}: causal self-attention forward + backward, the fused kernel against the
 * composed GEMM + softmax baseline, with the extra memory each needs.
 */
@Command(name = "attention", mixinStandardHelpOptions = true,
        description = {"Causal attention forward + backward: fused (FlashAttention-2 style) vs composed "
                + "(GEMM, mask, softmax, GEMM with the T x S probabilities materialised).",
                "Times are the median of --runs after --warmup; extra memory is what each path allocates beyond "
                        + "inputs, outputs and gradients (computed from its buffers, and measured as the fewest bytes "
                        + "all threads allocated in one timed run)."})
public final class AttentionBench implements Callable<Integer> {
    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--heads", defaultValue = "6", description = "Query heads (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--kv-heads", description = "Key/value heads; fewer than --heads is grouped-query attention (default: --heads).")
    Integer kvHeads;

    @Option(names = "--head-dim", defaultValue = "64", description = "Head size D (default ${DEFAULT-VALUE}).")
    int headDim;

    @Option(names = "--seq", split = ",", defaultValue = "256,1024", description = "Sequence lengths T (default ${DEFAULT-VALUE}).")
    int[] seq;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per path (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs per path first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON records.")
    Path json;

    @Override
    public Integer call() throws Exception {
        int kv = kvHeads == null ? heads : kvHeads;
        if (runs < 1 || warmup < 0) throw new IllegalArgumentException("bench attention: --runs must be >= 1 and --warmup >= 0");
        FlashAttention fused = FlashAttention.shared();
        ComposedAttention composed = ComposedAttention.shared();
        BenchReport report = new BenchReport("Causal attention, forward + backward: fused vs composed",
                "T", "path", "fwd ms", "bwd ms", "total ms", "speed-up", "extra MiB", "allocated MiB", "max |diff|");
        report.context("shape", "B=" + batch + " Hq=" + heads + " Hkv=" + kv + " D=" + headDim)
                .context("threads", ComputePool.shared().threads())
                .context("vector", Vec.describe())
                .context("gemm (composed)", Gemms.get().name())
                .context("runs", runs + " timed (median) after " + warmup + " warm-up")
                .context("note", "times on a shared machine are noisy; compare paths within one run");

        long[] fusedExtra = new long[seq.length], composedExtra = new long[seq.length];
        Progress progress = Progress.start("bench attention", (long) seq.length * (warmup + runs), "runs");
        for (int si = 0; si < seq.length; si++) {
            int t = seq[si];
            AttentionShape shape = new AttentionShape(batch, heads, kv, t, t, headDim);
            Problem p = new Problem(shape, 42 + t);
            float scale = (float) (1 / Math.sqrt(headDim));
            AttentionMaskSpec mask = AttentionMaskSpec.CAUSAL;

            progress.status("T=" + t + " warm-up");
            for (int i = 0; i < warmup; i++) {
                p.runFused(fused, mask, scale, null, 0);
                p.runComposed(composed, mask, scale, null, 0);
                progress.step(1);
            }
            progress.status("T=" + t);
            double[][] f = new double[2][runs], c = new double[2][runs];
            double fusedAlloc = Double.MAX_VALUE, composedAlloc = Double.MAX_VALUE;
            for (int i = 0; i < runs; i++) { // alternate so both paths see the same background load
                int run = i;
                // steady state: the least any run allocated (the first runs may still see JIT-time allocation)
                fusedAlloc = Math.min(fusedAlloc, allocatedDuring(() -> p.runFused(fused, mask, scale, f, run)));
                composedAlloc = Math.min(composedAlloc, allocatedDuring(() -> p.runComposed(composed, mask, scale, c, run)));
                progress.step(1);
            }
            double diff = p.maxOutputDifference();

            double ff = median(f[0]), fb = median(f[1]), ft = median(sum(f[0], f[1]));
            double cf = median(c[0]), cb = median(c[1]), ct = median(sum(c[0], c[1]));
            fusedExtra[si] = fused.extraBytes(shape);
            composedExtra[si] = ComposedAttention.extraBytes(shape);
            report.row(String.valueOf(t), "fused", ms(ff), ms(fb), ms(ft), String.format(Locale.ROOT, "%.2fx", ct / ft),
                    mib(fusedExtra[si]), mib(fusedAlloc), String.format(Locale.ROOT, "%.1e", diff));
            report.row(String.valueOf(t), "composed", ms(cf), ms(cb), ms(ct), "1.00x",
                    mib(composedExtra[si]), mib(composedAlloc), "");
            String tag = "attention.T" + t;
            report.record(BenchRecord.compared(tag + ".forward.fused", ff, "ms", "composed", cf));
            report.record(BenchRecord.compared(tag + ".backward.fused", fb, "ms", "composed", cb));
            report.record(BenchRecord.compared(tag + ".total.fused", ft, "ms", "composed", ct));
            report.record(BenchRecord.compared(tag + ".extra_bytes.fused", fusedExtra[si], "bytes", "composed", composedExtra[si]));
            report.record(BenchRecord.compared(tag + ".allocated_bytes.fused", fusedAlloc, "bytes", "composed", composedAlloc));
        }
        progress.close();
        report.print(System.out);
        long tiles = fused.scratchBytes(headDim);
        System.out.printf(Locale.ROOT, "fused extra memory = per-row statistics (lse and rowsum(dO*O), 2*B*Hq*T floats) "
                + "[+ partial dK/dV copies when B*Hkv is too small to keep every thread busy] "
                + "+ per-thread tiles (%.2f MiB for %d threads, independent of T)%n", tiles / (1024.0 * 1024.0), fused.threads());
        for (int si = 1; si < seq.length; si++) {
            System.out.printf(Locale.ROOT, "extra memory T=%d -> T=%d (x%.1f in T): fused x%.2f (its T-dependent part x%.2f), "
                            + "composed x%.2f%n",
                    seq[si - 1], seq[si], seq[si] / (double) seq[si - 1],
                    fusedExtra[si] / (double) fusedExtra[si - 1],
                    (fusedExtra[si] - tiles) / (double) (fusedExtra[si - 1] - tiles),
                    composedExtra[si] / (double) composedExtra[si - 1]);
        }
        if (json != null) {
            report.writeJson(json);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /** One attention problem's inputs and the output/gradient buffers of both paths. */
    private static final class Problem {
        final AttentionShape shape;
        final float[] q, k, v, dO;
        final float[] fusedO, fusedDq, fusedDk, fusedDv;
        final float[] composedO, composedDq, composedDk, composedDv;

        Problem(AttentionShape shape, long seed) {
            this.shape = shape;
            Random rng = new Random(seed);
            q = gaussian(rng, shape.queryElements());
            k = gaussian(rng, shape.keyElements());
            v = gaussian(rng, shape.keyElements());
            dO = gaussian(rng, shape.queryElements());
            fusedO = new float[shape.queryElements()];
            fusedDq = new float[shape.queryElements()];
            fusedDk = new float[shape.keyElements()];
            fusedDv = new float[shape.keyElements()];
            composedO = new float[shape.queryElements()];
            composedDq = new float[shape.queryElements()];
            composedDk = new float[shape.keyElements()];
            composedDv = new float[shape.keyElements()];
        }

        /** Forward and backward; records the two times in {@code times[0][run]}, {@code times[1][run]}. */
        void runFused(FlashAttention fused, AttentionMaskSpec mask, float scale, double[][] times, int run) {
            // the log-sum-exp is the fused path's saved state: allocated per call, as the engine op does
            float[] lse = new float[shape.rows()];
            long t0 = System.nanoTime();
            fused.forward(shape, mask, scale, q, k, v, fusedO, lse);
            long t1 = System.nanoTime();
            fused.backward(shape, mask, scale, q, k, v, fusedO, lse, dO, fusedDq, fusedDk, fusedDv);
            long t2 = System.nanoTime();
            if (times != null) {
                times[0][run] = (t1 - t0) / 1e6;
                times[1][run] = (t2 - t1) / 1e6;
            }
        }

        void runComposed(ComposedAttention composed, AttentionMaskSpec mask, float scale, double[][] times, int run) {
            long t0 = System.nanoTime();
            float[] p = composed.forward(shape, mask, scale, q, k, v, composedO);
            long t1 = System.nanoTime();
            composed.backward(shape, scale, q, k, v, p, dO, composedDq, composedDk, composedDv);
            long t2 = System.nanoTime();
            if (times != null) {
                times[0][run] = (t1 - t0) / 1e6;
                times[1][run] = (t2 - t1) / 1e6;
            }
        }

        /** Largest difference between the two paths over o, dQ, dK and dV (a sanity check of the timed work). */
        double maxOutputDifference() {
            return Math.max(Math.max(maxDiff(fusedO, composedO), maxDiff(fusedDq, composedDq)),
                    Math.max(maxDiff(fusedDk, composedDk), maxDiff(fusedDv, composedDv)));
        }
    }

    /** Bytes allocated by every live thread while {@code work} runs. */
    private static double allocatedDuring(Runnable work) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = allocatedByAll(mx);
        work.run();
        return allocatedByAll(mx) - before;
    }

    private static long allocatedByAll(com.sun.management.ThreadMXBean mx) {
        long total = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) if (b > 0) total += b;
        return total;
    }

    private static float[] gaussian(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) s[i] = a[i] + b[i];
        return s;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / (1024.0 * 1024.0));
    }
}
