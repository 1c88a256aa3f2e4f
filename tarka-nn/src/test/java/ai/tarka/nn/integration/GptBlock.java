package ai.tarka.nn.integration;

import ai.tarka.engine.Attention;
import ai.tarka.engine.AttentionMask;
import ai.tarka.engine.Indexing;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.LayerNorm;
import ai.tarka.nn.layers.Linear;
import java.util.random.RandomGenerator;

/**
 * A GPT-2 block: {@code x + attn(ln_1(x))}, then {@code + mlp(ln_2(·))}, with one fused q/k/v
 * projection split into heads and a GELU MLP.
 */
final class GptBlock extends Module {
    private final int heads;
    private final int headDim;
    private final LayerNorm ln1;
    private final Linear cAttn;
    private final Linear cProj;
    private final LayerNorm ln2;
    private final Linear cFc;
    private final Linear mlpProj;

    GptBlock(TinyConfig cfg, RandomGenerator rng) {
        int c = cfg.dim();
        this.heads = cfg.heads();
        this.headDim = cfg.headDim();
        ln1 = registerModule("ln_1", new LayerNorm(c, 1e-5f));
        cAttn = registerModule("c_attn", new Linear(c, 3 * heads * headDim, true, rng));
        cProj = registerModule("c_proj", new Linear(heads * headDim, c, true, rng));
        ln2 = registerModule("ln_2", new LayerNorm(c, 1e-5f));
        cFc = registerModule("c_fc", new Linear(c, cfg.hidden(), true, rng));
        mlpProj = registerModule("mlp_proj", new Linear(cfg.hidden(), c, true, rng));
    }

    /** x {@code [B, T, C]} to the block's output of the same shape. */
    Tensor forward(Tensor x, AttentionMask mask) {
        int b = x.size(0), t = x.size(1), width = heads * headDim;
        Tensor[] qkv = Indexing.split(cAttn.forward(ln1.forward(x)), -1, width);
        Tensor q = toHeads(qkv[0], b, t), k = toHeads(qkv[1], b, t), v = toHeads(qkv[2], b, t);
        Tensor y = Attention.scaledDotProduct(q, k, v, mask).transpose(1, 2).reshape(b, t, width);
        Tensor h = x.add(cProj.forward(y));
        return h.add(mlpProj.forward(cFc.forward(ln2.forward(h)).gelu()));
    }

    /** {@code [B, T, H·D]} to {@code [B, H, T, D]}. */
    private Tensor toHeads(Tensor x, int b, int t) {
        return x.reshape(b, t, heads, headDim).transpose(1, 2);
    }
}
