package ai.tarka.cli.bench;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * STREAM-style bandwidth over arrays far larger than the caches: read (a sum: what a decode step does with weights),
 * copy ({@code b = a}) and triad ({@code a = b + s·c}), each thread on its own contiguous part. Bytes counted as
 * STREAM does: read 4/element, copy 8, triad 12 (write-allocate traffic not counted).
 */
final class MemoryBandwidth {
    final float[] a, b, c;
    private final ComputePool pool;
    private final double[] sink;

    MemoryBandwidth(int floats, ComputePool pool) {
        a = new float[floats];
        b = new float[floats];
        c = new float[floats];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(b, 2f);
        java.util.Arrays.fill(c, 3f);
        this.pool = pool;
        sink = new double[pool.threads()];
    }

    enum Kind {
        READ(4), COPY(8), TRIAD(12);
        final int bytesPerElement;

        Kind(int b) {
            bytesPerElement = b;
        }
    }

    /** Wall seconds and process CPU seconds ÷ threads of one pass. */
    record Pass(double wall, double cpuPerThread) {}

    /** One pass of {@code kind} over the arrays. */
    Pass pass(Kind kind) {
        int n = a.length;
        long c0 = CpuClock.nanos();
        long t0 = System.nanoTime();
        pool.runWorkers(pool.threads(), (w, ws) -> {
            int s = (int) ((long) n * w / ws), e = (int) ((long) n * (w + 1) / ws);
            switch (kind) {
                case READ -> sink[w] = read(a, s, e);
                case COPY -> copy(a, b, s, e);
                case TRIAD -> triad(a, b, c, 1.5f, s, e);
            }
        });
        double wall = (System.nanoTime() - t0) / 1e9;
        return new Pass(wall, (CpuClock.nanos() - c0) / 1e9 / pool.threads());
    }

    /** GB/s of the best of {@code passes} passes: {wall clock, CPU-normalised}. */
    double[] gbPerSecond(Kind kind, int passes) {
        double wall = Double.MAX_VALUE, cpu = Double.MAX_VALUE;
        for (int i = 0; i < passes; i++) {
            Pass p = pass(kind);
            wall = Math.min(wall, p.wall());
            // a pass whose threads ran less than their share was descheduled: CPU time then undercounts, so never below wall/4
            cpu = Math.min(cpu, Math.max(p.cpuPerThread(), p.wall() / 4));
        }
        double bytes = (double) a.length * kind.bytesPerElement;
        return new double[] {bytes / wall / 1e9, bytes / Math.min(cpu, wall) / 1e9};
    }

    private static double read(float[] x, int s, int e) {
        int i = s;
        float sum = 0;
        if (Vec.ENABLED) {
            int l = Vec.L;
            FloatVector s0 = FloatVector.zero(Vec.F), s1 = s0, s2 = s0, s3 = s0;
            for (; i + 4 * l <= e; i += 4 * l) {
                s0 = s0.add(FloatVector.fromArray(Vec.F, x, i));
                s1 = s1.add(FloatVector.fromArray(Vec.F, x, i + l));
                s2 = s2.add(FloatVector.fromArray(Vec.F, x, i + 2 * l));
                s3 = s3.add(FloatVector.fromArray(Vec.F, x, i + 3 * l));
            }
            sum = Vec.sum(s0.add(s1).add(s2.add(s3)));
        }
        for (; i < e; i++) sum += x[i];
        return sum;
    }

    private static void copy(float[] src, float[] dst, int s, int e) {
        System.arraycopy(src, s, dst, s, e - s);
    }

    private static void triad(float[] out, float[] x, float[] y, float scale, int s, int e) {
        int i = s;
        if (Vec.ENABLED) {
            FloatVector sv = FloatVector.broadcast(Vec.F, scale);
            for (; i + Vec.L <= e; i += Vec.L)
                FloatVector.fromArray(Vec.F, y, i).fma(sv, FloatVector.fromArray(Vec.F, x, i)).intoArray(out, i);
        }
        for (; i < e; i++) out[i] = x[i] + scale * y[i];
    }
}
