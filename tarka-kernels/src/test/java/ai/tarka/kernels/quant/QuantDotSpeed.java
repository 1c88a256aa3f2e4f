package ai.tarka.kernels.quant;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Not a test: a quick single-threaded A/B of the row-dot kernels (float activations vs {@link Q8Activations}) on
 * decode-sized matrices. Variants alternate within each round and are timed by the thread's CPU time, so other
 * processes on a loaded machine disturb the comparison less; after warm-up rounds the best round counts. Run with
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes ai.tarka.kernels.quant.QuantDotSpeed [rounds]}.
 */
public final class QuantDotSpeed {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[][] shapes = args.length > 1 ? new int[][] {{Integer.parseInt(args[1]), Integer.parseInt(args[2])}} : new int[][] {{2048, 768}, {768, 2048}};
        Random r = new Random(1);
        try (Arena arena = Arena.ofShared()) {
            for (QuantFormat f : new QuantFormat[] {QuantFormat.Q8_0, QuantFormat.Q4_0, QuantFormat.NF4}) {
                for (int[] sh : shapes) {
                    int rows = sh[0], cols = sh[1];
                    float[] w = new float[rows * cols];
                    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.05f;
                    QuantKernelsTest.Stored s = QuantKernelsTest.store(f, w, rows, cols, arena);
                    float[] x = new float[cols];
                    for (int i = 0; i < cols; i++) x[i] = (float) r.nextGaussian();
                    float[] y = new float[rows];
                    Q8Activations xq = new Q8Activations();
                    long macs = (long) rows * cols;
                    int reps = (int) Math.max(1, 200_000_000L / macs);
                    int variants = VARIANTS;
                    double[] best = new double[variants];
                    // the first WARMUP rounds only let C2 compile both variants (it takes seconds on a loaded machine)
                    for (int round = 0; round < WARMUP + rounds; round++) {
                        for (int v = 0; v < variants; v++) {
                            long t0 = MX.getCurrentThreadCpuTime();
                            for (int k = 0; k < reps; k++) run(v, f, s, rows, cols, x, xq, y);
                            long t = MX.getCurrentThreadCpuTime() - t0;
                            if (round >= WARMUP) best[v] = Math.max(best[v], macs * reps / (double) t);
                        }
                    }
                    StringBuilder line = new StringBuilder(String.format("%-5s %4dx%-4d GMAC/s per CPU-second:", f, rows, cols));
                    for (int v = 0; v < variants; v++) line.append(String.format("  %s %6.2f", NAMES[v], best[v]));
                    System.out.println(line);
                }
            }
        }
    }

    static final int WARMUP = 10;
    static final String[] NAMES = {"float-x", "q8-x"};
    static final int VARIANTS = NAMES.length;

    /** Variant 0: the float kernels; 1: quantise x, then the integer row-range kernels. */
    static void run(int v, QuantFormat f, QuantKernelsTest.Stored s, int rows, int cols, float[] x, Q8Activations xq, float[] y) {
        long rb = f.rowBytes(cols);
        int bpr = cols / f.blockSize();
        if (v == 0) {
            for (int row = 0; row < rows; row++) y[row] = QuantMatVec.rowDot(f, s.data(), row * rb, s.scales(), row * bpr, x, 0, cols);
            return;
        }
        xq.quantize(x, 0, cols, 1, cols);
        QuantMatVec.matmulRows(f, s.data(), 0, s.scales(), 0, rows, xq, y, 0, rows);
    }
}
