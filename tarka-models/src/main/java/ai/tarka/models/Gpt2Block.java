package ai.tarka.models;

import ai.tarka.engine.Norms;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.LayerNorm;
import ai.tarka.nn.layers.Linear;

/**
 * One GPT-2 block, pre-norm: {@code h = x + attn(ln_1(x))}, {@code out = h + mlp(ln_2(h))}. Child names are
 * Hugging Face's ({@code ln_1}, {@code attn.c_attn}, {@code attn.c_proj}, {@code ln_2}, {@code mlp.c_fc},
 * {@code mlp.c_proj}); the projections are stored {@code [out, in]} here, transposed to HF's Conv1D layout only
 * at load and export ({@link ModelWeights}).
 */
final class Gpt2Block extends Module {
    private final int heads;
    private final int headDim;
    private final LayerNorm ln1;
    private final Linear cAttn;
    private final Linear attnProj;
    private final LayerNorm ln2;
    private final Linear cFc;
    private final Linear mlpProj;

    Gpt2Block(ModelConfig cfg) {
        int c = cfg.hiddenSize();
        float eps = (float) cfg.normEps();
        heads = cfg.numHeads();
        headDim = cfg.headDim();
        ln1 = registerModule("ln_1", new LayerNorm(c, eps));
        Attn attn = registerModule("attn", new Attn(c));
        cAttn = attn.cAttn;
        attnProj = attn.cProj;
        ln2 = registerModule("ln_2", new LayerNorm(c, eps));
        Mlp mlp = registerModule("mlp", new Mlp(c, cfg.intermediateSize()));
        cFc = mlp.cFc;
        mlpProj = mlp.cProj;
    }

    /** Holder of the attention projections, so they are named {@code attn.c_attn} and {@code attn.c_proj}. */
    private static final class Attn extends Module {
        final Linear cAttn, cProj;

        Attn(int c) {
            cAttn = registerModule("c_attn", new Linear(c, 3 * c, true));
            cProj = registerModule("c_proj", new Linear(c, c, true));
        }
    }

    /** Holder of the MLP projections ({@code mlp.c_fc}, {@code mlp.c_proj}). */
    private static final class Mlp extends Module {
        final Linear cFc, cProj;

        Mlp(int c, int hidden) {
            cFc = registerModule("c_fc", new Linear(c, hidden, true));
            cProj = registerModule("c_proj", new Linear(hidden, c, true));
        }
    }

    /**
     * @param x        {@code [B, T, C]}
     * @param segments packed-sample ids {@code [B·T]} or null
     * @param cache    keys/values of earlier tokens (generation) or null
     * @return {@code [B, T, C]}
     */
    Tensor forward(Tensor x, int[] segments, KvCache cache, int layer) {
        int b = x.size(0), t = x.size(1), c = heads * headDim;
        // views only: [B, T, 3C] -> [B, T, 3, H, D] -> [3, B, H, T, D]; attention makes the one dense copy it needs
        Tensor qkv = cAttn.forward(ln1.forward(x)).reshape(b, t, 3, heads, headDim).permute(2, 0, 3, 1, 4);
        Tensor q = qkv.select(0, 0), k = qkv.select(0, 1), v = qkv.select(0, 2);   // [B, H, T, D]
        if (cache != null) {
            Tensor[] kv = cache.append(layer, k, v);                             // [B, H, S, D]
            k = kv[0];
            v = kv[1];
        }
        Tensor y = DecoderAttention.attend(q, k, v, 0, segments)               // [B, H, T, D]
                .transpose(1, 2).reshape(b, t, c);                              // [B, T, C]
        Norms.AddNorm mid = Norms.addLayerNorm(attnProj.forward(y), x, ln2.weight().tensor(), ln2.bias().tensor(), ln2.eps());
        return mid.sum().add(mlpProj.forward(cFc.forward(mid.normed()).gelu()));
    }
}
