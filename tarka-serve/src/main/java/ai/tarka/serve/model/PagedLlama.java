package ai.tarka.serve.model;

import ai.tarka.engine.RopeTable;
import ai.tarka.inference.LayerWeights;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.Projection;
import ai.tarka.inference.RopeLayout;
import ai.tarka.inference.WeightMatrix;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.activation.SwiGlu;
import ai.tarka.kernels.norm.RmsNorm;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import ai.tarka.nn.Parameter;
import ai.tarka.serve.kv.PagedKvCache;
import java.util.Map;

/**
 * A Llama-family decoder (Llama, Mistral windows, Qwen2 biases) run over a {@link StepBatch}: every projection is one
 * {@link PanelMatmul} over all tokens of the step, whatever sequence they belong to, and attention reads each
 * sequence's keys and values through its block table ({@link PagedAttention}). Projections are
 * {@link ProjectionWeights}: packed once into F32 {@link PanelWeights} from a {@link CausalLm}'s parameters, or
 * {@link QuantizedWeights} over tarka-inference's {@link LlamaWeights} (a quantised GGUF used in place, its q/k rows
 * in the file's RoPE layout); activations live in scratch arrays that grow only when a step has more tokens than any
 * before.
 */
public final class PagedLlama implements BatchModel {
    private final ModelConfig cfg;
    private final RopeTable rope;
    private final int c, hq, hkv, d, qDim, kvDim, ff, vocab, layers, window;
    private final float eps;
    private final WeightMatrix embed;
    private final float[] finalNorm;
    private final ProjectionWeights lmHead;
    private final Layer[] blocks;
    /** q/k channels {@code (2i, 2i+1)} rotate together (GGUF, llama2.c) rather than {@code (i, i + D/2)} (Hugging Face). */
    private final boolean adjacentPairs;
    private final ComputePool pool = ComputePool.shared();
    private float[][] scoreScratch;
    private float[] x, xn, q, k, v, att, tmp, gate, up, rstd, rows;
    private int capacity;
    /** Adapters by id; id 0 is the base model (no adapter). */
    private final java.util.List<LoraAdapter> adapters = new java.util.ArrayList<>(java.util.Collections.singletonList(null));
    private float[] loraScratch = new float[0];

    private record Layer(float[] inNorm, ProjectionWeights wq, float[] bq, ProjectionWeights wk, float[] bk,
                         ProjectionWeights wv, float[] bv, ProjectionWeights wo, float[] postNorm, ProjectionWeights wGate,
                         ProjectionWeights wUp, ProjectionWeights wDown) {
        ProjectionWeights[] projections() {
            return new ProjectionWeights[] {wq, wk, wv, wo, wGate, wUp, wDown};
        }
    }

    /** What the two sources of weights hand the common constructor. */
    private record Weights(WeightMatrix embed, float[] finalNorm, ProjectionWeights lmHead, Layer[] blocks,
                           boolean adjacentPairs) {}

    /** F32 weights of a models-module model, packed into {@link PanelWeights}. */
    public PagedLlama(CausalLm model) {
        this(model.config(), packedWeights(model));
    }

    /**
     * Weights as tarka-inference loads them, multiplied where they lie: the caller keeps {@code weights} open while
     * this model is used. Embedding rows are decoded per token; norms and biases are the loader's small F32 arrays.
     */
    public PagedLlama(LlamaWeights weights) {
        this(weights.config(), quantizedWeights(weights));
    }

    private PagedLlama(ModelConfig config, Weights w) {
        cfg = config;
        c = cfg.hiddenSize();
        hq = cfg.numHeads();
        hkv = cfg.numKvHeads();
        d = cfg.headDim();
        qDim = hq * d;
        kvDim = hkv * d;
        ff = cfg.intermediateSize();
        vocab = cfg.vocabSize();
        layers = cfg.numLayers();
        window = cfg.slidingWindow();
        eps = (float) cfg.normEps();
        rope = new RopeTable(d, cfg.maxPositions(), cfg.ropeTheta(), cfg.ropeScaling());
        embed = w.embed();
        finalNorm = w.finalNorm();
        lmHead = w.lmHead();
        blocks = w.blocks();
        adjacentPairs = w.adjacentPairs();
        scoreScratch = new float[pool.threads()][0];
    }

    private static Weights packedWeights(CausalLm model) {
        ModelConfig cfg = model.config();
        if (cfg.architecture() != ModelArchitecture.LLAMA) {
            throw new IllegalArgumentException("PagedLlama: serving supports the Llama family, not " + cfg.architecture());
        }
        int c = cfg.hiddenSize(), qDim = cfg.numHeads() * cfg.headDim(), kvDim = cfg.numKvHeads() * cfg.headDim();
        int ff = cfg.intermediateSize(), vocab = cfg.vocabSize();
        Map<String, Parameter> p = model.module().namedParameters();
        float[] embed = weight(p, "model.embed_tokens.weight");
        ProjectionWeights lmHead = PanelWeights.pack(cfg.tieWordEmbeddings() ? embed : weight(p, "lm_head.weight"), vocab, c);
        Layer[] blocks = new Layer[cfg.numLayers()];
        for (int l = 0; l < blocks.length; l++) {
            String pre = "model.layers." + l + ".";
            blocks[l] = new Layer(weight(p, pre + "input_layernorm.weight"),
                    packed(p, pre + "self_attn.q_proj.weight", qDim, c), optional(p, pre + "self_attn.q_proj.bias"),
                    packed(p, pre + "self_attn.k_proj.weight", kvDim, c), optional(p, pre + "self_attn.k_proj.bias"),
                    packed(p, pre + "self_attn.v_proj.weight", kvDim, c), optional(p, pre + "self_attn.v_proj.bias"),
                    packed(p, pre + "self_attn.o_proj.weight", c, qDim), weight(p, pre + "post_attention_layernorm.weight"),
                    packed(p, pre + "mlp.gate_proj.weight", ff, c), packed(p, pre + "mlp.up_proj.weight", ff, c),
                    packed(p, pre + "mlp.down_proj.weight", c, ff));
        }
        return new Weights(WeightMatrix.ofFloats("model.embed_tokens.weight", embed, vocab, c),
                weight(p, "model.norm.weight"), lmHead, blocks, false);
    }

    private static Weights quantizedWeights(LlamaWeights w) {
        if (w.config().architecture() != ModelArchitecture.LLAMA) {
            throw new IllegalArgumentException("PagedLlama: serving supports the Llama family, not " + w.config().architecture());
        }
        Projection s = new Projection(ComputePool.shared().threads());
        Layer[] blocks = new Layer[w.layers().length];
        for (int l = 0; l < blocks.length; l++) {
            LayerWeights lw = w.layers()[l];
            blocks[l] = new Layer(lw.attnNorm(), new QuantizedWeights(lw.wq(), s), lw.qBias(),
                    new QuantizedWeights(lw.wk(), s), lw.kBias(), new QuantizedWeights(lw.wv(), s), lw.vBias(),
                    new QuantizedWeights(lw.wo(), s), lw.ffnNorm(), new QuantizedWeights(lw.gate(), s),
                    new QuantizedWeights(lw.up(), s), new QuantizedWeights(lw.down(), s));
        }
        return new Weights(w.embedding(), w.finalNorm(), new QuantizedWeights(w.output(), s), blocks,
                w.rope() == RopeLayout.ADJACENT_PAIRS);
    }

    /**
     * Bytes of projection weights (every layer's and the output head) this model keeps on the Java heap: the packed
     * F32 copy of a models-module model, 0 for quantised weights used where they were mapped.
     */
    public long projectionHeapBytes() {
        long b = lmHead.heapBytes();
        for (Layer l : blocks) for (ProjectionWeights p : l.projections()) b += p.heapBytes();
        return b;
    }

    private static float[] weight(Map<String, Parameter> p, String name) {
        Parameter w = p.get(name);
        if (w == null) throw new IllegalArgumentException("PagedLlama: model has no parameter " + name);
        return w.tensor().toArray();
    }

    private static PanelWeights packed(Map<String, Parameter> p, String name, int outputs, int inputs) {
        float[] w = weight(p, name);
        if (w.length != outputs * inputs) {
            throw new IllegalArgumentException("PagedLlama: " + name + " has " + w.length + " values, expected "
                    + outputs + "x" + inputs);
        }
        return PanelWeights.pack(w, outputs, inputs);
    }

    private static float[] optional(Map<String, Parameter> p, String name) {
        Parameter w = p.get(name);
        return w == null ? null : w.tensor().toArray();
    }

    public ModelConfig config() {
        return cfg;
    }

    /** Loads a PEFT LoRA adapter and returns its id (requests select it through {@code StepBatch.adapterOf}). */
    public int addAdapter(String name, java.nio.file.Path dir) {
        int[] ins = {c, c, c, qDim, c, c, ff}, outs = {qDim, kvDim, kvDim, c, ff, ff, c};
        LoraAdapter a = LoraAdapter.load(name, dir, layers, new LoraAdapter.ModuleDims() {
            @Override
            public int in(int module) {
                return ins[module];
            }

            @Override
            public int out(int module) {
                return outs[module];
            }
        });
        if (adjacentPairs) {
            for (int l = 0; l < layers; l++) {
                toAdjacentPairs(a.b()[l][0], hq, a.rank());
                toAdjacentPairs(a.b()[l][1], hkv, a.rank());
            }
        }
        adapters.add(a);
        return adapters.size() - 1;
    }

    /**
     * Reorders the output rows of a q/k LoRA {@code B} (written against Hugging Face's q/k, whose heads pair channels
     * {@code (i, i + D/2)}) into the GGUF order of weights served in place, where HF row {@code j·D/2 + i} of a head
     * is row {@code 2i + j}, so the adapter's update lands on the channels RoPE rotates together.
     */
    private void toAdjacentPairs(float[] b, int heads, int rank) {
        if (b == null) return;
        float[] head = new float[d * rank];
        int half = d / 2;
        for (int h = 0; h < heads; h++) {
            int base = h * d * rank;
            System.arraycopy(b, base, head, 0, d * rank);
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < half; i++) System.arraycopy(head, (j * half + i) * rank, b, base + (2 * i + j) * rank, rank);
            }
        }
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int contextLength() {
        return cfg.maxPositions();
    }

    @Override
    public int numLayers() {
        return layers;
    }

    @Override
    public int kvDim() {
        return kvDim;
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) return;
        capacity = Math.max(n, capacity * 2);
        x = new float[capacity * c];
        xn = new float[capacity * c];
        q = new float[capacity * qDim];
        k = new float[capacity * kvDim];
        v = new float[capacity * kvDim];
        att = new float[capacity * qDim];
        tmp = new float[capacity * c];
        gate = new float[capacity * ff];
        up = new float[capacity * ff];
        rstd = new float[capacity];
        rows = new float[capacity * c];
    }

    @Override
    public void forward(StepBatch b, PagedKvCache cache, float[] logits) {
        int n = b.numTokens();
        if (n == 0) return;
        ensureCapacity(n);
        for (int i = 0; i < n; i++) {
            int t = b.tokens()[i];
            if (t < 0 || t >= vocab) throw new IllegalArgumentException("PagedLlama: token " + t + " outside vocabulary " + vocab);
            if (b.positions()[i] >= cfg.maxPositions()) {
                throw new IllegalArgumentException("PagedLlama: position " + b.positions()[i] + " beyond context " + cfg.maxPositions());
            }
            embed.dequantizeRows(t, t + 1, x, i * c);
        }
        for (int l = 0; l < layers; l++) layer(l, b, cache);
        int r = b.numLogitRows();
        for (int i = 0; i < r; i++) System.arraycopy(x, b.logitRows()[i] * c, rows, i * c, c);
        RmsNorm.forward(xn, rstd, rows, finalNorm, r, c, eps);
        matmul(xn, r, lmHead, logits);
    }

    /** {@code out[n×m] = in[n×k] · Wᵀ}. */
    private static void matmul(float[] in, int n, ProjectionWeights w, float[] out) {
        w.multiply(in, n, out);
    }

    private void layer(int l, StepBatch b, PagedKvCache cache) {
        Layer w = blocks[l];
        int n = b.numTokens();
        RmsNorm.forward(xn, rstd, x, w.inNorm(), n, c, eps);
        project(xn, n, w.wq(), w.bq(), q);
        project(xn, n, w.wk(), w.bk(), k);
        project(xn, n, w.wv(), w.bv(), v);
        lora(b, l, 0, xn, c, q, qDim);
        lora(b, l, 1, xn, c, k, kvDim);
        lora(b, l, 2, xn, c, v, kvDim);
        for (int i = 0; i < n; i++) {
            int pos = b.positions()[i];
            for (int h = 0; h < hq; h++) rotate(q, i * qDim + h * d, pos);
            for (int h = 0; h < hkv; h++) rotate(k, i * kvDim + h * d, pos);
            cache.write(l, b.blockTables()[b.seqOf()[i]], pos, k, i * kvDim, v, i * kvDim);
        }
        attention(b, cache.keys(l), cache.values(l), cache.blockSize());
        matmul(att, n, w.wo(), tmp);
        lora(b, l, 3, att, qDim, tmp, c);
        for (int i = 0; i < n * c; i++) x[i] += tmp[i];
        RmsNorm.forward(xn, rstd, x, w.postNorm(), n, c, eps);
        matmul(xn, n, w.wGate(), gate);
        matmul(xn, n, w.wUp(), up);
        lora(b, l, 4, xn, c, gate, ff);
        lora(b, l, 5, xn, c, up, ff);
        SwiGlu.forward(gate, gate, up, n * ff);
        matmul(gate, n, w.wDown(), tmp);
        lora(b, l, 6, gate, ff, tmp, c);
        for (int i = 0; i < n * c; i++) x[i] += tmp[i];
    }

    private static void project(float[] in, int n, ProjectionWeights w, float[] bias, float[] out) {
        matmul(in, n, w, out);
        int outDim = w.outputs();
        if (bias != null) {
            for (int i = 0; i < n; i++) for (int j = 0; j < outDim; j++) out[i * outDim + j] += bias[j];
        }
    }

    /**
     * Adds {@code scaling · B·(A·x)} of each token's adapter to {@code out} for projection {@code module} of layer
     * {@code l}; tokens of base-model sequences (adapter 0) and adapters without this projection are left alone, so
     * base and adapter requests share one batch.
     */
    private void lora(StepBatch b, int l, int module, float[] in, int inDim, float[] out, int outDim) {
        int[] adapterOf = b.adapterOf();
        if (adapterOf == null || adapters.size() == 1) return;
        for (int i = 0; i < b.numTokens(); i++) {
            int id = adapterOf[b.seqOf()[i]];
            if (id == 0) continue;
            LoraAdapter a = adapters.get(id);
            float[] wa = a.a()[l][module], wb = a.b()[l][module];
            if (wa == null) continue;
            int r = a.rank();
            if (loraScratch.length < r) loraScratch = new float[r];
            for (int j = 0; j < r; j++) loraScratch[j] = Dot.dot(wa, j * inDim, in, i * inDim, inDim) * a.scaling();
            for (int o = 0; o < outDim; o++) {
                float s = 0;
                for (int j = 0; j < r; j++) s += wb[o * r + j] * loraScratch[j];
                out[i * outDim + o] += s;
            }
        }
    }

    /**
     * RoPE on one head in place, channels {@code (i, i + D/2)} paired as Hugging Face checkpoints do, or
     * {@code (2i, 2i+1)} for weights kept in GGUF's order.
     */
    private void rotate(float[] a, int off, int pos) {
        int half = d / 2;
        if (adjacentPairs) {
            for (int i = 0; i < half; i++) {
                float cos = rope.cos(pos, i), sin = rope.sin(pos, i);
                float x1 = a[off + 2 * i], x2 = a[off + 2 * i + 1];
                a[off + 2 * i] = x1 * cos - x2 * sin;
                a[off + 2 * i + 1] = x2 * cos + x1 * sin;
            }
            return;
        }
        for (int i = 0; i < half; i++) {
            float cos = rope.cos(pos, i), sin = rope.sin(pos, i);
            float x1 = a[off + i], x2 = a[off + i + half];
            a[off + i] = x1 * cos - x2 * sin;
            a[off + i + half] = x2 * cos + x1 * sin;
        }
    }

    private void attention(StepBatch b, float[] kc, float[] vc, int blockSize) {
        int n = b.numTokens();
        int tasks = n * hq;
        int group = hq / hkv;
        float scale = (float) (1 / Math.sqrt(d));
        if (scoreScratch[0].length < cfg.maxPositions() + blockSize) {
            scoreScratch = new float[pool.threads()][cfg.maxPositions() + blockSize];
        }
        float[][] scratch = scoreScratch;
        pool.runWorkers(Math.max(1, Math.min(pool.threads(), tasks / 4)), (worker, workers) -> {
            float[] scores = scratch[worker];
            int from = (int) ((long) tasks * worker / workers), to = (int) ((long) tasks * (worker + 1) / workers);
            for (int task = from; task < to; task++) {
                int i = task / hq, h = task % hq;
                int len = b.positions()[i] + 1;
                int start = window > 0 ? Math.max(0, len - window) : 0;
                PagedAttention.attend(q, i * qDim + h * d, kc, vc, b.blockTables()[b.seqOf()[i]], blockSize, kvDim,
                        (h / group) * d, d, start, len, scale, scores, att, i * qDim + h * d);
            }
        });
    }
}
