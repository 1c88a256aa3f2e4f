package ai.tarka.engine;

import java.util.Random;

/** Seeded random inputs for the operation tests. */
final class TestTensors {
    private TestTensors() {}

    /** Standard normal values, marked as trainable leaves. */
    static Tensor normal(Random rng, int... shape) {
        return Tensor.randn(rng, 1f, shape).requiresGrad(true);
    }

    /** Uniform in [lo, hi), trainable. */
    static Tensor uniform(Random rng, float lo, float hi, int... shape) {
        return Tensor.rand(rng, lo, hi, shape).requiresGrad(true);
    }

    /** Magnitudes in [lo, hi) with random signs: keeps divisors away from zero. */
    static Tensor awayFromZero(Random rng, float lo, float hi, int... shape) {
        Tensor t = Tensor.rand(rng, lo, hi, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) if (rng.nextBoolean()) d[i] = -d[i];
        return t.requiresGrad(true);
    }

    /** Distinct values at least 0.1 apart in random order, so a max does not switch under a finite-difference step. */
    static Tensor distinct(Random rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = 0.1f * (i - d.length / 2);
        for (int i = d.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float s = d[i];
            d[i] = d[j];
            d[j] = s;
        }
        return t.requiresGrad(true);
    }

    /** A random shape of the given rank with sizes in [1, max]. */
    static int[] shape(Random rng, int rank, int max) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + rng.nextInt(max);
        return s;
    }

    /** Row-major multi-index of flat position e. */
    static int[] unravel(int e, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = e % shape[d];
            e /= shape[d];
        }
        return idx;
    }

    /** The element of t that broadcasting reads for output index idx. */
    static float broadcastGet(Tensor t, int[] idx) {
        int r = t.dim(), lead = idx.length - r;
        int[] ti = new int[r];
        for (int d = 0; d < r; d++) ti[d] = t.size(d) == 1 ? 0 : idx[d + lead];
        return t.get(ti);
    }
}
