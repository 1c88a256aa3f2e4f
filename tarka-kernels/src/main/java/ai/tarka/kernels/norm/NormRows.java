package ai.tarka.kernels.norm;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;

/**
 * Shared machinery of the normalisation kernels: row reductions and the deterministic parallel
 * accumulation of per-channel parameter gradients (each worker sums its rows into its own buffer;
 * the buffers are then added in worker order, so results depend only on the thread count).
 */
final class NormRows {
    private NormRows() {}

    static final int GRAIN = 1 << 14;

    /** Rows [r0, r1) of the backward pass; the parameter gradients go to the given buffers at offset pOff. */
    @FunctionalInterface
    interface RowsBackward {
        void run(int r0, int r1, float[] dw, float[] db, int pOff);
    }

    static int rowGrain(int c) {
        return Math.max(1, GRAIN / Math.max(1, c));
    }

    /** Runs a backward over n rows, giving each worker private dw/db buffers when it has to accumulate into them. */
    static void backward(int n, int c, float[] dw, float[] db, RowsBackward rows) {
        ComputePool pool = ComputePool.shared();
        int grain = rowGrain(c);
        int workers = (int) Math.min(pool.threads(), Math.max(1, (n + (long) grain - 1) / grain));
        if (dw == null && db == null) {
            pool.parallelFor(n, grain, (r0, r1) -> rows.run(r0, r1, null, null, 0));
            return;
        }
        if (workers <= 1) {
            rows.run(0, n, dw, db, 0);
            return;
        }
        float[] pdw = dw != null ? new float[workers * c] : null;
        float[] pdb = db != null ? new float[workers * c] : null;
        pool.runWorkers(workers, (w, ws) -> {
            int r0 = (int) ((long) n * w / ws), r1 = (int) ((long) n * (w + 1) / ws);
            rows.run(r0, r1, pdw, pdb, w * c);
        });
        for (int w = 0; w < workers; w++) {
            if (dw != null) addInto(dw, pdw, w * c, c);
            if (db != null) addInto(db, pdb, w * c, c);
        }
    }

    /** dst[0..c) += src[off..off+c). */
    static void addInto(float[] dst, float[] src, int off, int c) {
        int i = 0;
        if (Vec.ENABLED) {
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, dst, i).add(FloatVector.fromArray(Vec.F, src, off + i)).intoArray(dst, i);
            }
        }
        for (; i < c; i++) dst[i] += src[off + i];
    }

    /** Σ a[off+i]. */
    static float sum(float[] a, int off, int c, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            FloatVector s0 = FloatVector.zero(Vec.F), s1 = FloatVector.zero(Vec.F);
            for (int bound = c - 2 * Vec.L; i <= bound; i += 2 * Vec.L) {
                s0 = s0.add(FloatVector.fromArray(Vec.F, a, off + i));
                s1 = s1.add(FloatVector.fromArray(Vec.F, a, off + i + Vec.L));
            }
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                s0 = s0.add(FloatVector.fromArray(Vec.F, a, off + i));
            }
            s = Vec.sum(s0.add(s1));
        }
        for (; i < c; i++) s += a[off + i];
        return s;
    }

    /** Σ (a[off+i] − m)²; with m = 0 the plain sum of squares. */
    static float sumSquares(float[] a, int off, int c, float m, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            FloatVector s0 = FloatVector.zero(Vec.F), s1 = FloatVector.zero(Vec.F);
            for (int bound = c - 2 * Vec.L; i <= bound; i += 2 * Vec.L) {
                FloatVector d0 = FloatVector.fromArray(Vec.F, a, off + i).sub(m);
                FloatVector d1 = FloatVector.fromArray(Vec.F, a, off + i + Vec.L).sub(m);
                s0 = d0.fma(d0, s0);
                s1 = d1.fma(d1, s1);
            }
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector d0 = FloatVector.fromArray(Vec.F, a, off + i).sub(m);
                s0 = d0.fma(d0, s0);
            }
            s = Vec.sum(s0.add(s1));
        }
        for (; i < c; i++) {
            float d = a[off + i] - m;
            s += d * d;
        }
        return s;
    }

    /** sum[off+i] = x[off+i] + r[off+i]; returns Σ sum when {@code squares} is false, Σ sum² when true. */
    static float addStore(float[] sum, float[] x, float[] r, int off, int c, boolean squares, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            FloatVector s0 = FloatVector.zero(Vec.F);
            for (int bound = Vec.F.loopBound(c); i < bound; i += Vec.L) {
                FloatVector v = FloatVector.fromArray(Vec.F, x, off + i).add(FloatVector.fromArray(Vec.F, r, off + i));
                v.intoArray(sum, off + i);
                s0 = squares ? v.fma(v, s0) : s0.add(v);
            }
            s = Vec.sum(s0);
        }
        for (; i < c; i++) {
            float v = x[off + i] + r[off + i];
            sum[off + i] = v;
            s += squares ? v * v : v;
        }
        return s;
    }

    static float[] onesIfNull(float[] w, int c) {
        if (w != null) return w;
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
        return ones;
    }
}
