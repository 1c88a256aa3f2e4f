package ai.tarka.inference;

import ai.tarka.formats.gguf.GgmlType;
import ai.tarka.formats.gguf.GgufTensors;
import ai.tarka.formats.llama2c.Llama2cCheckpoint;
import ai.tarka.formats.llama2c.Llama2cConfig;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import ai.tarka.formats.tensors.TensorSource;
import ai.tarka.formats.tensors.TensorSources;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads Llama-family weights for the inference path from a GGUF file (quantised tensors used in place from the
 * mapping), a llama2.c {@code .bin}, or a safetensors file/directory (Hugging Face or Tarka checkpoint, with its
 * {@code config.json}). Each format keeps its own q/k row order; {@link RopeLayout} records which one it is.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** Tensor names of one naming scheme. */
    private record Names(String embedding, String finalNorm, String output, String layer, String attnNorm, String q,
                         String k, String v, String o, String ffnNorm, String gate, String up, String down,
                         String qBias, String kBias, String vBias) {
        static final Names GGUF = new Names("token_embd.weight", "output_norm.weight", "output.weight", "blk.%d.",
                "attn_norm.weight", "attn_q.weight", "attn_k.weight", "attn_v.weight", "attn_output.weight",
                "ffn_norm.weight", "ffn_gate.weight", "ffn_up.weight", "ffn_down.weight", "attn_q.bias", "attn_k.bias", "attn_v.bias");
        static final Names META = new Names("tok_embeddings.weight", "norm.weight", "output.weight", "layers.%d.",
                "attention_norm.weight", "attention.wq.weight", "attention.wk.weight", "attention.wv.weight",
                "attention.wo.weight", "ffn_norm.weight", "feed_forward.w1.weight", "feed_forward.w3.weight",
                "feed_forward.w2.weight", "attention.wq.bias", "attention.wk.bias", "attention.wv.bias");
        static final Names HF = new Names("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight",
                "model.layers.%d.", "input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight",
                "self_attn.v_proj.weight", "self_attn.o_proj.weight", "post_attention_layernorm.weight",
                "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight", "self_attn.q_proj.bias",
                "self_attn.k_proj.bias", "self_attn.v_proj.bias");
    }

    /**
     * Opens {@code path}. {@code minContext} raises the model's context length when its file states a shorter one
     * (llama.cpp's llama2.c converter writes 128 whatever the model was trained with); 0 keeps the file's.
     *
     * @throws TensorFormatException naming the file and the problem (missing tensor, unsupported quantisation, ...)
     */
    public static LlamaWeights load(Path path, int minContext) {
        TensorSource source = TensorSources.open(path);
        try {
            return switch (source) {
                case GgufTensors g -> build(g, LlamaCheckpoints.ggufConfig(g.header(), minContext), Names.GGUF, RopeLayout.ADJACENT_PAIRS);
                case Llama2cCheckpoint c -> {
                    Llama2cConfig h = c.config();
                    ModelConfig cfg = LlamaCheckpoints.llama2cConfig(h.dim(), h.hiddenDim(), h.nLayers(), h.nHeads(),
                            h.nKvHeads(), h.vocabSize(), Math.max(h.seqLen(), minContext), h.sharedClassifier());
                    yield build(c, cfg, Names.META, RopeLayout.ADJACENT_PAIRS);
                }
                default -> {
                    Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
                    Path json = dir.resolve("config.json");
                    if (!Files.isRegularFile(json))
                        throw new TensorFormatException(path + ": safetensors weights need a config.json beside them (looked for " + json + ")");
                    ModelConfig cfg = HfModelConfig.read(json);
                    if (cfg.maxPositions() < minContext) cfg = withContext(cfg, minContext);
                    yield build(source, cfg, Names.HF, RopeLayout.HALVES);
                }
            };
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    static ModelConfig withContext(ModelConfig c, int ctx) {
        return new ModelConfig(c.architecture(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(),
                c.intermediateSize(), ctx, c.normEps(), c.ropeTheta(), c.ropeScaling(), c.tieWordEmbeddings(),
                c.attentionBias(), c.slidingWindow(), c.numLabels(), c.bosTokenId(), c.eosTokenId());
    }

    private static LlamaWeights build(TensorSource src, ModelConfig cfg, Names n, RopeLayout rope) {
        if (cfg.architecture() != ModelArchitecture.LLAMA)
            throw new TensorFormatException(src.description() + ": architecture " + cfg.architecture()
                    + " is not supported by the inference path yet (supported: Llama family)");
        int d = cfg.headDim(), dim = cfg.hiddenSize(), kv = cfg.numKvHeads() * d, hidden = cfg.intermediateSize();
        WeightMatrix emb = matrix(src, n.embedding(), cfg.vocabSize(), dim);
        LayerWeights[] layers = new LayerWeights[cfg.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            String p = n.layer().formatted(l);
            layers[l] = new LayerWeights(vector(src, p + n.attnNorm(), dim),
                    matrix(src, p + n.q(), cfg.numHeads() * d, dim), matrix(src, p + n.k(), kv, dim),
                    matrix(src, p + n.v(), kv, dim), matrix(src, p + n.o(), dim, cfg.numHeads() * d),
                    cfg.attentionBias() ? vector(src, p + n.qBias(), cfg.numHeads() * d) : null,
                    cfg.attentionBias() ? vector(src, p + n.kBias(), kv) : null,
                    cfg.attentionBias() ? vector(src, p + n.vBias(), kv) : null,
                    vector(src, p + n.ffnNorm(), dim), matrix(src, p + n.gate(), hidden, dim),
                    matrix(src, p + n.up(), hidden, dim), matrix(src, p + n.down(), dim, hidden));
        }
        float[] norm = vector(src, n.finalNorm(), dim);
        // a tied head is the embedding itself (llama2.c's reader lists a shared classifier as output.weight too)
        WeightMatrix out = !cfg.tieWordEmbeddings() && src.find(n.output()) != null ? matrix(src, n.output(), cfg.vocabSize(), dim) : emb;
        return new LlamaWeights(cfg, rope, emb, layers, norm, out, src.description(), src);
    }

    private static TensorEntry entry(TensorSource src, String name, long... shape) {
        TensorEntry e = src.find(name);
        if (e == null) throw new TensorFormatException(src.description() + ": tensor '" + name + "' is missing");
        if (!java.util.Arrays.equals(e.shape(), shape))
            throw new TensorFormatException(src.description() + ": tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(e.shape()) + ", the config implies " + java.util.Arrays.toString(shape));
        return e;
    }

    private static float[] vector(TensorSource src, String name, int n) {
        entry(src, name, n);
        return src.readFloats(name);
    }

    private static WeightMatrix matrix(TensorSource src, String name, int rows, int cols) {
        entry(src, name, rows, cols);
        if (src instanceof GgufTensors g) {
            GgmlType t = g.ggmlType(name);
            QuantFormat f = switch (t) {
                case F32 -> QuantFormat.F32;
                case F16 -> QuantFormat.F16;
                case BF16 -> QuantFormat.BF16;
                case Q8_0 -> QuantFormat.Q8_0;
                case Q4_0 -> QuantFormat.Q4_0;
                default -> throw new TensorFormatException(src.description() + ": tensor '" + name + "' is " + t
                        + ", a quantisation the inference path does not support (supported: F32, F16, BF16, Q8_0, Q4_0)");
            };
            return new WeightMatrix(name, f, rows, cols, g.bytes(name), null);
        }
        return WeightMatrix.ofFloats(name, src.readFloats(name), rows, cols);
    }
}
