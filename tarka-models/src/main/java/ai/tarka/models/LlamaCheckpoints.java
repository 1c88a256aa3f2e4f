package ai.tarka.models;

import ai.tarka.engine.RopeScaling;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.formats.gguf.GgufTensors;
import ai.tarka.formats.llama2c.Llama2cCheckpoint;
import ai.tarka.formats.llama2c.Llama2cConfig;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import ai.tarka.formats.tensors.TensorSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Llama checkpoints stored under Meta's names (llama2.c {@code .bin}: {@code layers.0.attention.wq.weight}) or
 * llama.cpp's (GGUF: {@code blk.0.attn_q.weight}), seen as Hugging Face tensors so that one {@link LlamaModel} and
 * {@link ModelWeights#load} serve all of them.
 *
 * <p>Both formats keep q and k in Meta's row order, where RoPE rotates adjacent channels {@code (2i, 2i+1)} of a head;
 * HF checkpoints (and {@link LlamaModel}) rotate the halves {@code (i, i + D/2)}. Permuting the rows of
 * {@code wq}/{@code wk} head by head, HF row {@code j·D/2 + i} ← Meta row {@code 2i + j}, turns one into the other
 * exactly (the attention scores do not change, since q and k are permuted alike), as HF's conversion script does.
 */
public final class LlamaCheckpoints {
    private LlamaCheckpoints() {}

    /** The model of a llama2.c {@code .bin} checkpoint, weights loaded (the file is closed again). */
    public static CausalLm loadLlama2c(Path file) {
        try (Llama2cCheckpoint ckpt = Llama2cCheckpoint.open(file)) {
            ModelConfig config = llama2cConfig(ckpt.config());
            CausalLm model = Models.empty(config);
            ModelWeights.load(model, fromMeta(ckpt, config));
            return model;
        }
    }

    /**
     * The model of a GGUF {@code llama} file with F32/F16/BF16 tensors, weights loaded (the file is closed again);
     * {@code minPositions} as in {@link #ggufConfig}.
     */
    public static CausalLm loadGguf(Path file, int minPositions) {
        try (GgufTensors tensors = GgufTensors.open(file)) {
            ModelConfig config = ggufConfig(tensors.header(), minPositions);
            CausalLm model = Models.empty(config);
            ModelWeights.load(model, fromGguf(tensors, config));
            return model;
        }
    }

    /** A llama2.c header as a config (see {@link #llama2cConfig(int, int, int, int, int, int, int, boolean)}). */
    public static ModelConfig llama2cConfig(Llama2cConfig c) {
        return llama2cConfig(c.dim(), c.hiddenDim(), c.nLayers(), c.nHeads(), c.nKvHeads(), c.vocabSize(), c.seqLen(),
                c.sharedClassifier());
    }

    /** A llama2.c checkpoint's header as a config: RMSNorm eps 1e-5, RoPE base 10000, BOS 1, EOS 2. */
    public static ModelConfig llama2cConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize,
                                            int seqLen, boolean sharedClassifier) {
        return new ModelConfig(ModelArchitecture.LLAMA, vocabSize, dim, layers, heads, kvHeads, hiddenDim, seqLen, 1e-5,
                10000, RopeScaling.none(), sharedClassifier, false, 0, 0, 1, 2);
    }

    /**
     * The config a GGUF {@code llama} file's metadata describes. The head is tied when the file has no
     * {@code output.weight}. {@code llama.context_length} becomes the RoPE table length unless
     * {@code minPositions} is larger (converters may write a shorter default than the model was trained with).
     */
    public static ModelConfig ggufConfig(GgufFile gguf, int minPositions) {
        String src = gguf.source();
        String arch = gguf.getString("general.architecture");
        if (!arch.equals("llama")) {
            throw new IllegalArgumentException(src + ": metadata 'general.architecture' is '" + arch + "', expected 'llama'");
        }
        int heads = gguf.getInt("llama.attention.head_count");
        int vocab = gguf.has("llama.vocab_size") ? gguf.getInt("llama.vocab_size")
                : gguf.getStringArray("tokenizer.ggml.tokens").length;
        boolean tied = gguf.tensors().stream().noneMatch(t -> t.name().equals("output.weight"));
        int width = gguf.getInt("llama.embedding_length");
        if (gguf.has("llama.rope.dimension_count") && gguf.getInt("llama.rope.dimension_count") != width / heads) {
            throw new IllegalArgumentException(src + ": metadata 'llama.rope.dimension_count' "
                    + gguf.getInt("llama.rope.dimension_count") + " differs from the head size " + width / heads + " (partial RoPE is not supported)");
        }
        return new ModelConfig(ModelArchitecture.LLAMA, vocab, width, gguf.getInt("llama.block_count"), heads,
                gguf.getInt("llama.attention.head_count_kv", heads), gguf.getInt("llama.feed_forward_length"),
                Math.max(gguf.getInt("llama.context_length", minPositions), minPositions),
                shortest(gguf, "llama.attention.layer_norm_rms_epsilon", 1e-5), shortest(gguf, "llama.rope.freq_base", 10000),
                RopeScaling.none(), tied,
                false, 0, 0, gguf.getInt("tokenizer.ggml.bos_token_id", 1), gguf.getInt("tokenizer.ggml.eos_token_id", 2));
    }

    /** A float32 metadata value as the shortest decimal that rounds to it (1e-5, not 9.99999974e-6). */
    private static double shortest(GgufFile gguf, String key, double fallback) {
        return gguf.has(key) ? Double.parseDouble(Float.toString((float) gguf.getDouble(key))) : fallback;
    }

    /** A source with Meta / llama2.c names ({@code tok_embeddings}, {@code layers.N.attention.wq}, ...) as HF tensors. */
    public static TensorSource fromMeta(TensorSource source, ModelConfig config) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("model.embed_tokens.weight", "tok_embeddings.weight");
        for (int l = 0; l < config.numLayers(); l++) {
            String hf = "model.layers." + l + ".", meta = "layers." + l + ".";
            names.put(hf + "self_attn.q_proj.weight", meta + "attention.wq.weight");
            names.put(hf + "self_attn.k_proj.weight", meta + "attention.wk.weight");
            names.put(hf + "self_attn.v_proj.weight", meta + "attention.wv.weight");
            names.put(hf + "self_attn.o_proj.weight", meta + "attention.wo.weight");
            names.put(hf + "mlp.gate_proj.weight", meta + "feed_forward.w1.weight");
            names.put(hf + "mlp.down_proj.weight", meta + "feed_forward.w2.weight");
            names.put(hf + "mlp.up_proj.weight", meta + "feed_forward.w3.weight");
            names.put(hf + "input_layernorm.weight", meta + "attention_norm.weight");
            names.put(hf + "post_attention_layernorm.weight", meta + "ffn_norm.weight");
        }
        names.put("model.norm.weight", "norm.weight");
        names.put("lm_head.weight", "output.weight");
        return new Renamed(source, names, config);
    }

    /** A GGUF {@code llama} source ({@code token_embd}, {@code blk.N.attn_q}, ...) as HF tensors. */
    public static TensorSource fromGguf(TensorSource source, ModelConfig config) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("model.embed_tokens.weight", "token_embd.weight");
        for (int l = 0; l < config.numLayers(); l++) {
            String hf = "model.layers." + l + ".", g = "blk." + l + ".";
            names.put(hf + "self_attn.q_proj.weight", g + "attn_q.weight");
            names.put(hf + "self_attn.k_proj.weight", g + "attn_k.weight");
            names.put(hf + "self_attn.v_proj.weight", g + "attn_v.weight");
            names.put(hf + "self_attn.o_proj.weight", g + "attn_output.weight");
            names.put(hf + "mlp.gate_proj.weight", g + "ffn_gate.weight");
            names.put(hf + "mlp.down_proj.weight", g + "ffn_down.weight");
            names.put(hf + "mlp.up_proj.weight", g + "ffn_up.weight");
            names.put(hf + "input_layernorm.weight", g + "attn_norm.weight");
            names.put(hf + "post_attention_layernorm.weight", g + "ffn_norm.weight");
        }
        names.put("model.norm.weight", "output_norm.weight");
        names.put("lm_head.weight", "output.weight");
        return new Renamed(source, names, config);
    }

    /**
     * Meta's q/k row order to HF's, head by head: {@code w [heads·D, in]}, HF row {@code h·D + j·D/2 + i} is Meta row
     * {@code h·D + 2i + j} ({@code j ∈ {0, 1}}, {@code i < D/2}).
     */
    public static float[] metaToHfRows(float[] w, int heads, int headDim, int in) {
        if (w.length != heads * headDim * in) {
            throw new IllegalArgumentException("metaToHfRows: " + w.length + " values for " + heads + " heads x " + headDim
                    + " x " + in);
        }
        float[] out = new float[w.length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < half; i++) {
                    int hfRow = h * headDim + j * half + i, metaRow = h * headDim + 2 * i + j;
                    System.arraycopy(w, metaRow * in, out, hfRow * in, in);
                }
            }
        }
        return out;
    }

    /** HF names over a source stored under other names; q/k rows permuted from Meta's order on read. */
    private static final class Renamed implements TensorSource {
        private final TensorSource source;
        private final ModelConfig config;
        private final Map<String, String> hfToStored = new HashMap<>();
        private final List<TensorEntry> entries = new ArrayList<>();

        Renamed(TensorSource source, Map<String, String> hfToStored, ModelConfig config) {
            this.source = source;
            this.config = config;
            Map<String, String> storedToHf = new HashMap<>();
            for (var e : hfToStored.entrySet()) storedToHf.put(e.getValue(), e.getKey());
            Set<String> seen = new HashSet<>();
            for (TensorEntry e : source.entries()) {
                // a name outside the mapping keeps its stored name, so that the load reports it as unexpected
                String hf = storedToHf.getOrDefault(e.name(), e.name());
                if (!seen.add(hf)) continue;
                this.hfToStored.put(hf, e.name());
                entries.add(new TensorEntry(hf, e.dtype(), e.shape()));
            }
        }

        @Override
        public String description() {
            return source.description();
        }

        @Override
        public List<TensorEntry> entries() {
            return entries;
        }

        @Override
        public float[] readFloats(String name) {
            String stored = hfToStored.get(name);
            if (stored == null) throw new TensorFormatException(source.description() + ": no tensor for '" + name + "'");
            float[] w = source.readFloats(stored);
            int d = config.headDim(), in = config.hiddenSize();
            if (name.endsWith("self_attn.q_proj.weight")) return metaToHfRows(w, config.numHeads(), d, in);
            if (name.endsWith("self_attn.k_proj.weight")) return metaToHfRows(w, config.numKvHeads(), d, in);
            return w;
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
