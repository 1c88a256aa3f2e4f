package ai.tarka.models;

import ai.tarka.engine.Attention;
import ai.tarka.engine.AttentionMask;
import ai.tarka.engine.Norms;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.layers.LayerNorm;
import ai.tarka.nn.layers.Linear;

/**
 * One pre-norm encoder block: {@code h = x + out_proj(attn(self_attn_layer_norm(x)))} with every token attending to
 * every real (non-padding) token, then {@code out = h + fc2(gelu(fc1(final_layer_norm(h))))}. Names follow the
 * fairseq / BART encoder layers.
 */
final class EncoderBlock extends Module {
    private final int heads;
    private final int headDim;
    private final LayerNorm attnNorm;
    private final Linear qProj, kProj, vProj, outProj;
    private final LayerNorm finalNorm;
    private final Linear fc1, fc2;

    EncoderBlock(ModelConfig cfg) {
        int c = cfg.hiddenSize();
        float eps = (float) cfg.normEps();
        heads = cfg.numHeads();
        headDim = cfg.headDim();
        SelfAttn attn = registerModule("self_attn", new SelfAttn(c));
        qProj = attn.qProj;
        kProj = attn.kProj;
        vProj = attn.vProj;
        outProj = attn.outProj;
        attnNorm = registerModule("self_attn_layer_norm", new LayerNorm(c, eps));
        fc1 = registerModule("fc1", new Linear(c, cfg.intermediateSize(), true));
        fc2 = registerModule("fc2", new Linear(cfg.intermediateSize(), c, true));
        finalNorm = registerModule("final_layer_norm", new LayerNorm(c, eps));
    }

    private static final class SelfAttn extends Module {
        final Linear qProj, kProj, vProj, outProj;

        SelfAttn(int c) {
            qProj = registerModule("q_proj", new Linear(c, c, true));
            kProj = registerModule("k_proj", new Linear(c, c, true));
            vProj = registerModule("v_proj", new Linear(c, c, true));
            outProj = registerModule("out_proj", new Linear(c, c, true));
        }
    }

    /** {@code x [B, T, C]} → {@code [B, T, C]}; {@code mask} hides each row's padding keys. */
    Tensor forward(Tensor x, AttentionMask mask) {
        int b = x.size(0), t = x.size(1), c = heads * headDim;
        Tensor n = attnNorm.forward(x);
        Tensor q = toHeads(qProj.forward(n), b, t), k = toHeads(kProj.forward(n), b, t), v = toHeads(vProj.forward(n), b, t);
        Tensor y = Attention.scaledDotProduct(q, k, v, mask).transpose(1, 2).reshape(b, t, c);   // [B, T, C]
        Norms.AddNorm mid = Norms.addLayerNorm(outProj.forward(y), x, finalNorm.weight().tensor(), finalNorm.bias().tensor(),
                finalNorm.eps());
        return mid.sum().add(fc2.forward(fc1.forward(mid.normed()).gelu()));
    }

    private Tensor toHeads(Tensor x, int b, int t) {
        return x.reshape(b, t, heads, headDim).transpose(1, 2);
    }
}
