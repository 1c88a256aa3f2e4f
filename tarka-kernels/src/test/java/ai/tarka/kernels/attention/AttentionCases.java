package ai.tarka.kernels.attention;

import ai.tarka.kernels.ComputePool;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random attention problems shared by the kernel tests. */
final class AttentionCases {
    private AttentionCases() {}

    private static final ComputePool[] POOLS = {new ComputePool(1), new ComputePool(2), new ComputePool(3)};

    /** A pool with {@code threads} threads (1 to 3), shared across tests so threads are not leaked per case. */
    static ComputePool pool(int threads) {
        return POOLS[threads - 1];
    }

    /** One problem: sizes, mask, and how the fused kernel is configured to run it. */
    record Case(String label, AttentionShape shape, AttentionMaskSpec mask, float scale,
                int queryBlock, int keyBlock, int threads, int queryGroups, boolean vector, long seed) {
        @Override
        public String toString() {
            return label + " " + shape + " blocks " + queryBlock + "x" + keyBlock + " threads " + threads
                    + " groups " + queryGroups + (vector ? " vector" : " scalar") + " mask " + mask;
        }

        FlashAttention fused() {
            return new FlashAttention(pool(threads), queryBlock, keyBlock, queryGroups, vector);
        }

        Inputs inputs() {
            Random rng = new Random(seed);
            return new Inputs(gaussian(rng, shape.queryElements()), gaussian(rng, shape.keyElements()),
                    gaussian(rng, shape.keyElements()), gaussian(rng, shape.queryElements()));
        }
    }

    /** q, k, v and an upstream gradient dO. */
    record Inputs(float[] q, float[] k, float[] v, float[] dO) {}

    static float[] gaussian(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    static final int[] HEAD_DIMS = {1, 7, 16, 33, 64};

    /** {@code count} random problems: odd lengths, the listed head sizes, GQA ratios 1-3, every mask kind. */
    static List<Case> random(long seed, int count, boolean smallBlocksOften) {
        Random rng = new Random(seed);
        List<Case> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int d = HEAD_DIMS[c % HEAD_DIMS.length];
            int batch = 1 + rng.nextInt(2), kvHeads = 1 + rng.nextInt(2), group = 1 + rng.nextInt(3);
            int t = 1 + rng.nextInt(45);
            int kind = rng.nextInt(6);
            boolean segments = kind == 4 || kind == 5;
            int s = segments || rng.nextBoolean() ? t : 1 + rng.nextInt(45);
            boolean causal = kind == 1 || kind == 3 || kind == 5;
            int[] lengths = kind == 2 || kind == 3 || (segments && rng.nextBoolean()) ? lengths(rng, batch, s) : null;
            int[] segs = segments ? segments(rng, batch, t) : null;
            AttentionShape shape = new AttentionShape(batch, kvHeads * group, kvHeads, t, s, d);
            boolean small = smallBlocksOften ? rng.nextInt(4) != 0 : rng.nextInt(4) == 0;
            int qb = small ? 1 + rng.nextInt(13) : FlashAttention.QUERY_BLOCK;
            int kb = small ? 1 + rng.nextInt(21) : FlashAttention.KEY_BLOCK;
            out.add(new Case("random#" + c, shape, new AttentionMaskSpec(causal, lengths, segs),
                    (float) (1 / Math.sqrt(d)), qb, kb, 1 + rng.nextInt(3), rng.nextInt(4), rng.nextInt(4) != 0,
                    rng.nextLong()));
        }
        return out;
    }

    /** Valid lengths per batch element; sometimes 0 (a fully padded element) or the full length. */
    static int[] lengths(Random rng, int batch, int s) {
        int[] l = new int[batch];
        for (int b = 0; b < batch; b++) {
            int pick = rng.nextInt(5);
            l[b] = pick == 0 ? 0 : pick == 1 ? s : rng.nextInt(s + 1);
        }
        return l;
    }

    /** Either ascending packed segments or ids scattered at random, per batch element. */
    static int[] segments(Random rng, int batch, int t) {
        int[] ids = new int[batch * t];
        for (int b = 0; b < batch; b++) {
            boolean scattered = rng.nextInt(3) == 0;
            int id = 0;
            for (int i = 0; i < t; i++) {
                if (scattered) {
                    id = rng.nextInt(3);
                } else if (i > 0 && rng.nextInt(7) == 0) {
                    id++;
                }
                ids[b * t + i] = id;
            }
        }
        return ids;
    }
}
