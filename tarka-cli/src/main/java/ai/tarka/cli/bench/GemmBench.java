package ai.tarka.cli.bench;

import ai.tarka.cli.progress.Progress;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.MachineInfo;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.JavaSgemm;
import ai.tarka.kernels.gemm.OpenBlasSgemm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tarka bench gemm}: SGEMM throughput of the pure-Java kernel and native OpenBLAS on the same
 * operands in the same run, as GFLOP/s and as a fraction of the machine's fp32 peak. Backends are
 * measured in alternation so that background load affects both alike.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "SGEMM speed: the pure-Java kernel against native OpenBLAS, in GFLOP/s and % of fp32 peak.")
public final class GemmBench implements Callable<Integer> {
    /** 256-1024 square, 2048 square, then two transformer shapes: an MLP projection and an LM head. */
    static final String DEFAULT_SIZES = "256,512,1024,2048,2048x384x1536,256x768x50304";
    /** OpenBLAS workers spin about 0.1 s after a call; let them park before timing the Java kernel. */
    private static final long OPENBLAS_SETTLE_MS = 150;

    @Option(names = "--threads", description = "Compute threads for both backends (default: all cores).",
            defaultValue = "0")
    int threads;

    @Option(names = "--sizes", split = ",", description = "Shapes: N (square) or MxKxN, comma separated (default: "
            + DEFAULT_SIZES + ").", defaultValue = DEFAULT_SIZES)
    List<String> sizes;

    @Option(names = "--trans", description = "Transposes of A and B: nn, nt, tn or tt (default: ${DEFAULT-VALUE}).",
            defaultValue = "nn")
    String trans;

    @Option(names = "--repeat", description = "Timed runs per point; the median is reported (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int repeat;

    @Option(names = "--min-time", description = "Minimum seconds per timed run (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.3")
    double minTime;

    @Option(names = "--warmup", description = "Seconds of warm-up per point and backend (default: ${DEFAULT-VALUE}).",
            defaultValue = "1.0")
    double warmup;

    @Option(names = "--backends", split = ",", description = "Backends to measure: java, openblas (default: ${DEFAULT-VALUE}).",
            defaultValue = "java,openblas")
    List<String> backends;

    @Option(names = "--json", description = "Also write the figures as JSON records to FILE.")
    Path json;

    record Shape(int m, int k, int n) {
        static Shape parse(String s) {
            String[] p = s.trim().toLowerCase(Locale.ROOT).split("x");
            try {
                if (p.length == 1) {
                    int d = Integer.parseInt(p[0]);
                    return check(new Shape(d, d, d), s);
                }
                if (p.length == 3) return check(new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])), s);
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("bench gemm: size '" + s + "' is neither N nor MxKxN");
        }

        private static Shape check(Shape sh, String s) {
            if (sh.m < 1 || sh.k < 1 || sh.n < 1) throw new IllegalArgumentException("bench gemm: size '" + s + "' must be positive");
            if ((long) sh.m * sh.k > Integer.MAX_VALUE || (long) sh.k * sh.n > Integer.MAX_VALUE || (long) sh.m * sh.n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("bench gemm: size '" + s + "' needs arrays over 2^31 floats");
            }
            return sh;
        }

        double flops() {
            return 2.0 * m * k * n;
        }

        String label() {
            return m + "x" + k + "x" + n;
        }
    }

    @Override
    public Integer call() throws Exception {
        int t = threads > 0 ? threads : ComputePool.shared().threads();
        if (repeat < 1 || minTime <= 0 || warmup < 0) {
            throw new IllegalArgumentException("bench gemm: --repeat must be >= 1, --min-time > 0, --warmup >= 0");
        }
        if (!trans.matches("[ntNT]{2}")) throw new IllegalArgumentException("bench gemm: --trans must be nn, nt, tn or tt, got " + trans);
        boolean transA = Character.toLowerCase(trans.charAt(0)) == 't', transB = Character.toLowerCase(trans.charAt(1)) == 't';
        List<Shape> shapes = new ArrayList<>();
        for (String s : sizes) shapes.add(Shape.parse(s));

        Map<String, Gemm> gemms = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (String b : backends) {
            switch (b.trim().toLowerCase(Locale.ROOT)) {
                case "java" -> gemms.put("java", t == ComputePool.shared().threads() ? JavaSgemm.shared() : new JavaSgemm(new ComputePool(t)));
                case "openblas" -> {
                    try {
                        gemms.put("openblas", OpenBlasSgemm.load(t));
                    } catch (UnsupportedOperationException e) {
                        notes.add(e.getMessage());
                    }
                }
                default -> throw new IllegalArgumentException("bench gemm: unknown backend '" + b + "' (expected java or openblas)");
            }
        }
        if (gemms.isEmpty()) throw new IllegalStateException("bench gemm: no backend available: " + String.join("; ", notes));

        MachineInfo machine = MachineInfo.detect(t);
        double peak = machine.peakGflops();
        boolean both = gemms.containsKey("java") && gemms.containsKey("openblas");
        BenchReport report = new BenchReport("SGEMM (" + trans.toLowerCase(Locale.ROOT) + ", row-major, fp32), GFLOP/s: median of "
                + repeat + " runs of >= " + minTime + " s",
                "shape MxKxN", "java", "openblas", "java/openblas", "java %peak", "openblas %peak");
        report.context("machine", machine.describe());
        report.context("threads", t);
        report.context("vector", Vec.describe());
        if (gemms.get("java") instanceof JavaSgemm j) report.context("java kernel", j.describe());
        if (gemms.get("openblas") instanceof OpenBlasSgemm o) report.context("openblas", "core " + o.coreName() + ", " + o.threads() + " thread(s)");
        report.context("load average at start", loadAverage());
        for (String n : notes) report.context("note", n);

        Progress progress = Progress.start("bench gemm", shapes.size(), "shapes");
        for (Shape s : shapes) {
            progress.status(s.label());
            Map<String, Double> gflops = measure(s, transA, transB, gemms);
            progress.step(1);
            Double jv = gflops.get("java"), ov = gflops.get("openblas");
            String name = "sgemm.%s." + (transA || transB ? trans.toLowerCase(Locale.ROOT) + "." : "") + s.label();
            if (ov != null) report.record(BenchRecord.of(String.format(name, "openblas"), ov, "GFLOP/s"));
            if (jv != null) {
                report.record(ov != null
                        ? BenchRecord.compared(String.format(name, "java"), jv, "GFLOP/s", String.format(name, "openblas"), ov)
                        : BenchRecord.of(String.format(name, "java"), jv, "GFLOP/s"));
            }
            report.row(s.label(), fmt(jv, "%.1f"), fmt(ov, "%.1f"), both ? String.format(Locale.ROOT, "%.2f", jv / ov) : "-",
                    pct(jv, peak), pct(ov, peak));
        }
        progress.close();
        report.context("load average at end", loadAverage());
        report.print(System.out);
        if (json != null) {
            report.writeJson(json);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /** Warm-up, then {@link #repeat} alternating timed runs per backend; returns median GFLOP/s by backend. */
    private Map<String, Double> measure(Shape s, boolean transA, boolean transB, Map<String, Gemm> gemms) throws InterruptedException {
        int lda = transA ? s.m : s.k, ldb = transB ? s.k : s.n;
        Random r = new Random(42);
        float[] a = new float[s.m * s.k], b = new float[s.k * s.n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        Map<String, float[]> outputs = new LinkedHashMap<>();
        for (String name : gemms.keySet()) outputs.put(name, new float[s.m * s.n]);

        Map<String, double[]> seconds = new LinkedHashMap<>();
        for (var e : gemms.entrySet()) {
            float[] c = outputs.get(e.getKey());
            timeRun(e.getValue(), s, transA, transB, a, lda, b, ldb, c, warmup);
            settle(e.getKey());
            seconds.put(e.getKey(), new double[repeat]);
        }
        for (int rep = 0; rep < repeat; rep++) {
            for (var e : gemms.entrySet()) {
                seconds.get(e.getKey())[rep] = timeRun(e.getValue(), s, transA, transB, a, lda, b, ldb,
                        outputs.get(e.getKey()), minTime);
                settle(e.getKey());
            }
        }
        checkAgreement(s, outputs);
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : seconds.entrySet()) {
            double[] x = e.getValue().clone();
            Arrays.sort(x);
            double median = x.length % 2 == 1 ? x[x.length / 2] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2;
            out.put(e.getKey(), s.flops() / median / 1e9);
        }
        return out;
    }

    /** Calls the backend until {@code atLeast} seconds have passed (at least once); returns seconds per call. */
    private static double timeRun(Gemm g, Shape s, boolean transA, boolean transB, float[] a, int lda, float[] b, int ldb,
                                  float[] c, double atLeast) {
        long budget = (long) (atLeast * 1e9);
        long start = System.nanoTime(), now;
        int calls = 0;
        do {
            g.sgemm(transA, transB, s.m, s.n, s.k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, s.n);
            calls++;
            now = System.nanoTime();
        } while (now - start < budget);
        return (now - start) / 1e9 / calls;
    }

    private static void settle(String backend) throws InterruptedException {
        if (backend.equals("openblas")) Thread.sleep(OPENBLAS_SETTLE_MS);
    }

    /** Both backends computed the same product; a large disagreement means a broken kernel, not a slow one. */
    private static void checkAgreement(Shape s, Map<String, float[]> outputs) {
        float[] j = outputs.get("java"), o = outputs.get("openblas");
        if (j == null || o == null) return;
        double maxAbs = 0, maxDiff = 0;
        for (int i = 0; i < j.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(o[i]));
            maxDiff = Math.max(maxDiff, Math.abs(j[i] - o[i]));
        }
        // Entries are sums of k products of values in [-0.5, 0.5): float rounding stays far below 1e-3 of the largest.
        if (maxDiff > 1e-3 * Math.max(maxAbs, 1e-6)) {
            throw new IllegalStateException("bench gemm: java and openblas disagree on " + s.label()
                    + " (max difference " + maxDiff + ", max |C| " + maxAbs + ")");
        }
    }

    private static String fmt(Double v, String f) {
        return v == null ? "-" : String.format(Locale.ROOT, f, v);
    }

    private static String pct(Double v, double peak) {
        return v == null || !(peak > 0) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * v / peak);
    }

    private static String loadAverage() {
        try {
            String l = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
            String[] p = l.split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
