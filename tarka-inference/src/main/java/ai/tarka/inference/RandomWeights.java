package ai.tarka.inference;

import ai.tarka.kernels.ComputePool;
import ai.tarka.models.ModelConfig;
import java.util.SplittableRandom;

/**
 * Llama weights filled with uniform noise (±0.05, norms 1) for benchmarks and tests that need a model of a given
 * shape but not its knowledge. Filled in parallel, deterministic for a seed.
 */
public final class RandomWeights {
    private RandomWeights() {}

    public static LlamaWeights llama(ModelConfig c, long seed) {
        int dim = c.hiddenSize(), d = c.headDim(), kv = c.numKvHeads() * d, q = c.numHeads() * d, hid = c.intermediateSize();
        SplittableRandom root = new SplittableRandom(seed);
        WeightMatrix emb = matrix("token_embd.weight", c.vocabSize(), dim, root.split());
        LayerWeights[] layers = new LayerWeights[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            String p = "blk." + l + ".";
            layers[l] = new LayerWeights(ones(dim), matrix(p + "attn_q.weight", q, dim, root.split()),
                    matrix(p + "attn_k.weight", kv, dim, root.split()), matrix(p + "attn_v.weight", kv, dim, root.split()),
                    matrix(p + "attn_output.weight", dim, q, root.split()), null, null, null, ones(dim),
                    matrix(p + "ffn_gate.weight", hid, dim, root.split()), matrix(p + "ffn_up.weight", hid, dim, root.split()),
                    matrix(p + "ffn_down.weight", dim, hid, root.split()));
        }
        WeightMatrix out = c.tieWordEmbeddings() ? emb : matrix("output.weight", c.vocabSize(), dim, root.split());
        return new LlamaWeights(c, RopeLayout.ADJACENT_PAIRS, emb, layers, ones(dim), out, "random weights", null);
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    private static WeightMatrix matrix(String name, int rows, int cols, SplittableRandom r) {
        float[] w = new float[Math.multiplyExact(rows, cols)];
        long seed = r.nextLong();
        // one generator per row so that the fill is the same whatever the thread count
        ComputePool.shared().parallelFor(rows, 64, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                SplittableRandom g = new SplittableRandom(seed + row * 0x9E3779B97F4A7C15L);
                for (int i = row * cols; i < (row + 1) * cols; i++) w[i] = (float) (g.nextDouble() - 0.5) * 0.1f;
            }
        });
        return WeightMatrix.ofFloats(name, w, rows, cols);
    }
}
