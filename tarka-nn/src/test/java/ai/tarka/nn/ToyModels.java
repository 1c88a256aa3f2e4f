package ai.tarka.nn;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.layers.Embedding;
import ai.tarka.nn.layers.LayerNorm;
import ai.tarka.nn.layers.Linear;
import ai.tarka.nn.layers.ModuleList;
import java.util.SplittableRandom;

/** Small module trees with Hugging Face-like names for structural tests (no forward needed). */
public final class ToyModels {
    private ToyModels() {}

    public static final class Attention extends Module {
        public final Linear qProj;
        public final Linear oProj;

        Attention(int c, SplittableRandom rng) {
            qProj = registerModule("q_proj", new Linear(c, c, true, rng));
            oProj = registerModule("o_proj", new Linear(c, c, false, rng));
        }
    }

    public static final class Block extends Module {
        public final LayerNorm ln;
        public final Attention attn;

        Block(int c, SplittableRandom rng) {
            ln = registerModule("ln", new LayerNorm(c, 1e-5f));
            attn = registerModule("attn", new Attention(c, rng));
        }
    }

    /** {@code wte [V, C]}, a position table {@code wpe}, blocks, a final norm, an lm_head tied to wte, a step buffer. */
    public static final class TinyLm extends Module {
        public final Embedding wte;
        public final Parameter wpe;
        public final ModuleList<Block> blocks;
        public final LayerNorm lnF;
        public final Tensor stepCounter;
        public final Tensor ropeCache;

        public TinyLm(int v, int c, int layers, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            wte = registerModule("wte", new Embedding(v, c, 0.02, rng));
            wpe = registerParameter("wpe", Tensor.randn(new java.util.Random(seed), 0.01f, 4, c));
            blocks = registerModule("blocks", new ModuleList<>());
            for (int i = 0; i < layers; i++) blocks.add(new Block(c, rng));
            lnF = registerModule("ln_f", new LayerNorm(c, 1e-5f));
            registerModule("lm_head", new LmHead(wte.weight()));
            stepCounter = registerBuffer("step_counter", Tensor.scalar(7f), true);
            ropeCache = registerBuffer("rope_cache", Tensor.ones(3), false);
        }
    }

    /** Reuses the embedding matrix (tied weights). */
    public static final class LmHead extends Module {
        LmHead(Parameter tied) {
            registerParameter("weight", tied);
        }
    }
}
