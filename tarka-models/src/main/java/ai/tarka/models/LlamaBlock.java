package ai.tarka.models;

import ai.tarka.engine.Activations;
import ai.tarka.engine.Norms;
import ai.tarka.engine.Rope;
import ai.tarka.engine.RopeStyle;
import ai.tarka.engine.RopeTable;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.Linear;
import ai.tarka.nn.layers.RMSNorm;

/**
 * One Llama-family block, pre-norm: {@code h = x + o_proj(attn(rope(q), rope(k), v))} on
 * {@code input_layernorm(x)}, then {@code out = h + down_proj(silu(gate_proj(n)) * up_proj(n))} with
 * {@code n = post_attention_layernorm(h)}. Grouped-query attention when there are fewer kv heads than query heads;
 * q/k/v biases when the config asks (Qwen2); RoPE pairs channels {@code (i, i + D/2)} as Hugging Face checkpoints do.
 */
final class LlamaBlock extends Module {
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int window;
    private final Linear qProj, kProj, vProj, oProj;
    private final Linear gateProj, upProj, downProj;
    private final RMSNorm inputNorm;
    private final RMSNorm postNorm;

    LlamaBlock(ModelConfig cfg) {
        int c = cfg.hiddenSize();
        float eps = (float) cfg.normEps();
        heads = cfg.numHeads();
        kvHeads = cfg.numKvHeads();
        headDim = cfg.headDim();
        window = cfg.slidingWindow();
        SelfAttn attn = registerModule("self_attn", new SelfAttn(cfg));
        qProj = attn.qProj;
        kProj = attn.kProj;
        vProj = attn.vProj;
        oProj = attn.oProj;
        Mlp mlp = registerModule("mlp", new Mlp(c, cfg.intermediateSize()));
        gateProj = mlp.gateProj;
        upProj = mlp.upProj;
        downProj = mlp.downProj;
        inputNorm = registerModule("input_layernorm", new RMSNorm(c, eps));
        postNorm = registerModule("post_attention_layernorm", new RMSNorm(c, eps));
    }

    private static final class SelfAttn extends Module {
        final Linear qProj, kProj, vProj, oProj;

        SelfAttn(ModelConfig cfg) {
            int c = cfg.hiddenSize(), d = cfg.headDim();
            boolean bias = cfg.attentionBias();
            qProj = registerModule("q_proj", new Linear(c, cfg.numHeads() * d, bias));
            kProj = registerModule("k_proj", new Linear(c, cfg.numKvHeads() * d, bias));
            vProj = registerModule("v_proj", new Linear(c, cfg.numKvHeads() * d, bias));
            oProj = registerModule("o_proj", new Linear(cfg.numHeads() * d, c, false));
        }
    }

    private static final class Mlp extends Module {
        final Linear gateProj, upProj, downProj;

        Mlp(int c, int hidden) {
            gateProj = registerModule("gate_proj", new Linear(c, hidden, false));
            upProj = registerModule("up_proj", new Linear(c, hidden, false));
            downProj = registerModule("down_proj", new Linear(hidden, c, false));
        }
    }

    /**
     * @param x         {@code [B, T, C]}
     * @param positions RoPE positions, T shared or B·T per row
     * @param segments  packed-sample ids {@code [B·T]} or null
     * @param cache     keys/values of earlier tokens (generation) or null
     * @return {@code [B, T, C]}
     */
    Tensor forward(Tensor x, int[] positions, int[] segments, RopeTable rope, KvCache cache, int layer) {
        int b = x.size(0), t = x.size(1);
        Tensor n = inputNorm.forward(x);                                                         // [B, T, C]
        Tensor q = Rope.apply(toHeads(qProj.forward(n), b, t, heads), positions, rope, RopeStyle.HALF);   // [B, Hq, T, D]
        Tensor k = Rope.apply(toHeads(kProj.forward(n), b, t, kvHeads), positions, rope, RopeStyle.HALF); // [B, Hkv, T, D]
        Tensor v = toHeads(vProj.forward(n), b, t, kvHeads);                                     // [B, Hkv, T, D]
        if (cache != null) {
            Tensor[] kv = cache.append(layer, k, v);                                             // [B, Hkv, S, D]
            k = kv[0];
            v = kv[1];
        }
        Tensor y = DecoderAttention.attend(q, k, v, window, segments)                           // [B, Hq, T, D]
                .transpose(1, 2).reshape(b, t, heads * headDim);                                  // [B, T, Hq·D]
        Norms.AddNorm mid = Norms.addRmsNorm(oProj.forward(y), x, postNorm.weight().tensor(), postNorm.eps());
        Tensor m = mid.normed();
        return mid.sum().add(downProj.forward(Activations.swiglu(gateProj.forward(m), upProj.forward(m))));
    }

    /** {@code [B, T, n·D]} to a {@code [B, n, T, D]} view. */
    private Tensor toHeads(Tensor x, int b, int t, int n) {
        return x.reshape(b, t, n, headDim).transpose(1, 2);
    }
}
