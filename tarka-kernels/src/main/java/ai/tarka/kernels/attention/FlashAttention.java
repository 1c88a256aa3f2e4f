package ai.tarka.kernels.attention;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scaled-dot-product attention as one fused, tiled kernel (the FlashAttention-2 scheme): the forward
 * pass walks key blocks with an online softmax per query row and never forms the {@code T × S} score
 * matrix; the backward pass recomputes the scores blockwise from q, k and the saved log-sum-exp.
 *
 * <p>Arrays are contiguous row-major: q, o, dO, dQ {@code [B, Hq, T, D]}; k, v, dK, dV
 * {@code [B, Hkv, S, D]}; lse {@code [B, Hq, T]}. Query head {@code h} reads kv head
 * {@code h / (Hq / Hkv)}. Masking follows {@link AttentionMaskSpec}; a row that sees no key gets a zero
 * output and {@code lse = -inf}.
 *
 * <p>Parallel work, always through the given {@link ComputePool}, in tasks of (batch, kv head, query
 * group): the query blocks of a kv head's query heads are dealt round-robin into groups (one group when
 * there are enough (batch, kv head) pairs to keep every thread busy), which also balances the causal
 * mask's uneven rows. Tasks are handed out dynamically; none shares an output row with another.
 * <ul>
 *   <li>forward: every row meets its key blocks in ascending order whatever the grouping, so the result
 *       does not depend on the thread count;</li>
 *   <li>backward: a task owns the dK/dV rows of its kv head
 *       (or a private partial copy of them when the query rows are split into several groups) and the dQ
 *       rows of its query blocks, so nothing is shared and no atomics are needed. Partial copies are
 *       summed in group order afterwards, so results are deterministic for a fixed thread count.</li>
 * </ul>
 */
public final class FlashAttention {
    /**
     * Query rows per tile. With 64 × 64 tiles and D = 64 the packed key and value tiles, the score and
     * gradient tiles and the q/dO rows of the tile in hand (16 KiB each) stay in L2, and the causal
     * diagonal wastes one half-empty tile per 64 rows; 32 or 128 rows or keys measured slower at
     * T = 512 (B 8, H 6).
     */
    static final int QUERY_BLOCK = 64;
    /** Keys per tile; see {@link #QUERY_BLOCK}. */
    static final int KEY_BLOCK = 64;

    private static final FlashAttention SHARED = new FlashAttention(ComputePool.shared());

    private final ComputePool pool;
    private final int queryBlock;
    private final int keyBlock;
    private final int forcedQueryGroups;
    private final boolean vector;

    public FlashAttention(ComputePool pool) {
        this(pool, QUERY_BLOCK, KEY_BLOCK, 0, Vec.ENABLED);
    }

    /**
     * Tests shrink the blocks to reach multi-block paths on small shapes, force the query grouping
     * ({@code 0} = automatic) and pick the scalar path in a vector-enabled JVM.
     */
    FlashAttention(ComputePool pool, int queryBlock, int keyBlock, int forcedQueryGroups, boolean vector) {
        if (queryBlock < 1 || keyBlock < 1) {
            throw new IllegalArgumentException("attention blocks must be >= 1, got " + queryBlock + "x" + keyBlock);
        }
        this.pool = pool;
        this.queryBlock = queryBlock;
        this.keyBlock = keyBlock;
        this.forcedQueryGroups = forcedQueryGroups;
        this.vector = vector && Vec.ENABLED;
    }

    /** The instance over {@link ComputePool#shared()}. */
    public static FlashAttention shared() {
        return SHARED;
    }

    /**
     * Computes {@code o = softmax(scale · q·kᵀ + mask) · v} and the log-sum-exp of each row's scaled,
     * masked scores ({@code lse}, kept for {@link #backward}). Overwrites {@code o} and {@code lse}.
     */
    public void forward(AttentionShape shape, AttentionMaskSpec mask, float scale,
                        float[] q, float[] k, float[] v, float[] o, float[] lse) {
        String op = "FlashAttention.forward";
        checkCommon(op, shape, mask, scale, q, k, v);
        shape.requireLength(op, "o", o, shape.queryElements());
        shape.requireLength(op, "lse", lse, shape.rows());

        int groups = queryGroups(shape);
        FlashForwardPass pass = new FlashForwardPass(shape, mask, scale, q, k, v, o, lse,
                groups, queryBlock, keyBlock, vector);
        int kvHeads = shape.batch() * shape.kvHeads();
        int tasks = kvHeads * groups;
        int keyStride = TileMath.padded(vector, keyBlock);
        int statRows = FlashForwardPass.taskRows(shape, groups, queryBlock);
        AtomicInteger next = new AtomicInteger();
        pool.runWorkers(tasks, (worker, workers) -> {
            AttentionScratch scratch = AttentionScratch.forThread(shape.headDim(), queryBlock, keyStride, statRows);
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                int bk = t % kvHeads;
                pass.kvHeadTask(scratch, bk / shape.kvHeads(), bk % shape.kvHeads(), t / kvHeads);
            }
        });
    }

    /**
     * Gradients of {@code Σ dO·o} with respect to q, k and v, given the {@code o} and {@code lse} of
     * {@link #forward}. Overwrites {@code dQ}, {@code dK} and {@code dV}.
     */
    public void backward(AttentionShape shape, AttentionMaskSpec mask, float scale,
                         float[] q, float[] k, float[] v, float[] o, float[] lse, float[] dO,
                         float[] dQ, float[] dK, float[] dV) {
        String op = "FlashAttention.backward";
        checkCommon(op, shape, mask, scale, q, k, v);
        shape.requireLength(op, "o", o, shape.queryElements());
        shape.requireLength(op, "lse", lse, shape.rows());
        shape.requireLength(op, "dO", dO, shape.queryElements());
        shape.requireLength(op, "dQ", dQ, shape.queryElements());
        shape.requireLength(op, "dK", dK, shape.keyElements());
        shape.requireLength(op, "dV", dV, shape.keyElements());

        int d = shape.headDim();
        float[] rowDot = new float[shape.rows()];
        pool.parallelFor(shape.rows(), 64, (r0, r1) -> {
            for (int r = r0; r < r1; r++) rowDot[r] = TileMath.dot(vector, dO, r * d, o, r * d, d);
        });

        int groups = queryGroups(shape);
        int keyElements = shape.keyElements();
        float[] dKPartial = groups > 1 ? new float[(groups - 1) * keyElements] : null;
        float[] dVPartial = groups > 1 ? new float[(groups - 1) * keyElements] : null;
        FlashBackwardPass pass = new FlashBackwardPass(shape, mask, scale, q, k, v, lse, rowDot, dO, dQ, dK, dV,
                dKPartial, dVPartial, groups, queryBlock, keyBlock, vector);
        int kvHeads = shape.batch() * shape.kvHeads();
        int tasks = kvHeads * groups;
        int keyStride = TileMath.padded(vector, keyBlock);
        AtomicInteger next = new AtomicInteger();
        pool.runWorkers(tasks, (worker, workers) -> {
            AttentionScratch scratch = AttentionScratch.forThread(d, queryBlock, keyStride, 0);
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                int bk = t % kvHeads;
                pass.kvHeadTask(scratch, bk / shape.kvHeads(), bk % shape.kvHeads(), t / kvHeads);
            }
        });
        if (groups > 1) {
            pool.parallelFor(keyElements, 4096, (i0, i1) -> {
                for (int g = 0; g < groups - 1; g++) {
                    int off = g * keyElements;
                    for (int i = i0; i < i1; i++) {
                        dK[i] += dKPartial[off + i];
                        dV[i] += dVPartial[off + i];
                    }
                }
            });
        }
    }

    /**
     * How many groups the query blocks of one kv head are split into: one (a backward task owns its kv
     * head's dK/dV outright, a forward task transposes each key tile once) when the (batch, kv head)
     * pairs share out evenly over the threads or number at least four per thread, otherwise enough
     * groups for about four tasks per thread, each backward task with its own partial dK/dV.
     */
    int queryGroups(AttentionShape shape) {
        int queryBlocks = ceilDiv(shape.queryLen(), queryBlock);
        if (forcedQueryGroups > 0) return Math.min(forcedQueryGroups, queryBlocks);
        int kvHeads = shape.batch() * shape.kvHeads();
        int threads = pool.threads();
        if (kvHeads % threads == 0 || kvHeads >= 4 * threads) return 1;
        return Math.max(1, Math.min(queryBlocks, ceilDiv(4 * threads, kvHeads)));
    }

    /**
     * Bytes the fused forward plus backward allocate beyond their inputs, outputs and gradients: the saved
     * log-sum-exp and the per-row {@code Σ dO·o} ({@code B·Hq·T} floats each), any partial dK/dV copies,
     * each thread's running row statistics (two floats per query row of one task) and each thread's tiles
     * (independent of T and S).
     */
    public long extraBytes(AttentionShape shape) {
        long rows = 2L * shape.rows() * Float.BYTES;
        int groups = queryGroups(shape);
        long partials = 2L * (groups - 1) * shape.keyElements() * Float.BYTES;
        long stats = 2L * pool.threads() * FlashForwardPass.taskRows(shape, groups, queryBlock) * Float.BYTES;
        return rows + partials + stats + scratchBytes(shape.headDim());
    }

    /** The part of {@link #extraBytes} that does not depend on the sequence lengths: every thread's tiles. */
    public long scratchBytes(int headDim) {
        return (long) pool.threads() * AttentionScratch.tileBytes(headDim, queryBlock, TileMath.padded(vector, keyBlock));
    }

    public int threads() {
        return pool.threads();
    }

    static void checkCommon(String op, AttentionShape shape, AttentionMaskSpec mask, float scale,
                            float[] q, float[] k, float[] v) {
        if (shape == null) throw new IllegalArgumentException(op + ": shape is null");
        if (mask == null) throw new IllegalArgumentException(op + ": mask is null for " + shape + " (use AttentionMaskSpec.NONE)");
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException(op + ": scale must be positive and finite, got " + scale + " for " + shape);
        }
        mask.check(op, shape);
        shape.requireLength(op, "q", q, shape.queryElements());
        shape.requireLength(op, "k", k, shape.keyElements());
        shape.requireLength(op, "v", v, shape.keyElements());
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
