package ai.tarka.nn.integration;

import ai.tarka.engine.Activations;
import ai.tarka.engine.Attention;
import ai.tarka.engine.AttentionMask;
import ai.tarka.engine.Norms;
import ai.tarka.engine.Rope;
import ai.tarka.engine.RopeStyle;
import ai.tarka.engine.RopeTable;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.Linear;
import ai.tarka.nn.layers.RMSNorm;
import java.util.random.RandomGenerator;

/**
 * A Llama block: RMSNorm, grouped-query attention with rotary positions (HALF pairing, as Hugging
 * Face checkpoints), o_proj; the residual add and the post-attention RMSNorm fused
 * ({@link Norms#addRmsNorm}); a SwiGLU MLP; the second residual add.
 */
final class LlamaBlock extends Module {
    private static final float EPS = 1e-5f;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final RMSNorm inputNorm;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear oProj;
    private final RMSNorm postNorm;
    private final Linear gateProj;
    private final Linear upProj;
    private final Linear downProj;

    LlamaBlock(TinyConfig cfg, RandomGenerator rng) {
        int c = cfg.dim();
        heads = cfg.heads();
        kvHeads = cfg.kvHeads();
        headDim = cfg.headDim();
        inputNorm = registerModule("input_layernorm", new RMSNorm(c, EPS));
        qProj = registerModule("q_proj", new Linear(c, heads * headDim, false, rng));
        kProj = registerModule("k_proj", new Linear(c, kvHeads * headDim, false, rng));
        vProj = registerModule("v_proj", new Linear(c, kvHeads * headDim, false, rng));
        oProj = registerModule("o_proj", new Linear(heads * headDim, c, false, rng));
        postNorm = registerModule("post_attention_layernorm", new RMSNorm(c, EPS));
        gateProj = registerModule("gate_proj", new Linear(c, cfg.hidden(), false, rng));
        upProj = registerModule("up_proj", new Linear(c, cfg.hidden(), false, rng));
        downProj = registerModule("down_proj", new Linear(cfg.hidden(), c, false, rng));
    }

    Tensor forward(Tensor x, AttentionMask mask, int[] positions, RopeTable rope) {
        int b = x.size(0), t = x.size(1);
        Tensor h = inputNorm.forward(x);
        Tensor q = Rope.apply(toHeads(qProj.forward(h), b, t, heads), positions, rope, RopeStyle.HALF);
        Tensor k = Rope.apply(toHeads(kProj.forward(h), b, t, kvHeads), positions, rope, RopeStyle.HALF);
        Tensor v = toHeads(vProj.forward(h), b, t, kvHeads);
        Tensor y = Attention.scaledDotProduct(q, k, v, mask).transpose(1, 2).reshape(b, t, heads * headDim);
        Norms.AddNorm mid = Norms.addRmsNorm(oProj.forward(y), x, postNorm.weight().tensor(), postNorm.eps());
        Tensor mlp = downProj.forward(Activations.swiglu(gateProj.forward(mid.normed()), upProj.forward(mid.normed())));
        return mid.sum().add(mlp);
    }

    /** {@code [B, T, n·D]} to a {@code [B, n, T, D]} view. */
    private Tensor toHeads(Tensor x, int b, int t, int n) {
        return x.reshape(b, t, n, headDim).transpose(1, 2);
    }
}
