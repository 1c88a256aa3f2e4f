package ai.tarka.inference.convert;

import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.inference.LayerWeights;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.RopeLayout;
import ai.tarka.inference.WeightMatrix;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.ModelConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes Llama weights (decoded to F32) as a Hugging Face / Tarka safetensors directory ({@code config.json} +
 * {@code model.safetensors}, HF names, q/k rows in HF's half-rotation order) or as a llama2.c legacy {@code .bin}
 * (Meta order; a negative vocabulary size marks an untied classifier, as llama2.c's exporter does).
 */
public final class CheckpointWriters {
    private CheckpointWriters() {}

    public static void writeSafetensors(LlamaWeights w, Path dir) {
        ModelConfig c = w.config();
        List<NamedTensor> t = new ArrayList<>();
        t.add(matrix("model.embed_tokens.weight", w.embedding(), 0, w.rope()));
        for (int l = 0; l < c.numLayers(); l++) {
            LayerWeights lw = w.layers()[l];
            String p = "model.layers." + l + ".";
            t.add(vector(p + "input_layernorm.weight", lw.attnNorm()));
            t.add(matrix(p + "self_attn.q_proj.weight", lw.wq(), c.numHeads(), w.rope()));
            t.add(matrix(p + "self_attn.k_proj.weight", lw.wk(), c.numKvHeads(), w.rope()));
            t.add(matrix(p + "self_attn.v_proj.weight", lw.wv(), 0, w.rope()));
            t.add(matrix(p + "self_attn.o_proj.weight", lw.wo(), 0, w.rope()));
            t.add(vector(p + "post_attention_layernorm.weight", lw.ffnNorm()));
            t.add(matrix(p + "mlp.gate_proj.weight", lw.gate(), 0, w.rope()));
            t.add(matrix(p + "mlp.up_proj.weight", lw.up(), 0, w.rope()));
            t.add(matrix(p + "mlp.down_proj.weight", lw.down(), 0, w.rope()));
            if (lw.qBias() != null) {
                boolean meta = w.rope() == RopeLayout.ADJACENT_PAIRS;
                t.add(vector(p + "self_attn.q_proj.bias", meta ? LlamaCheckpoints.metaToHfRows(lw.qBias(), c.numHeads(), c.headDim(), 1) : lw.qBias()));
                t.add(vector(p + "self_attn.k_proj.bias", meta ? LlamaCheckpoints.metaToHfRows(lw.kBias(), c.numKvHeads(), c.headDim(), 1) : lw.kBias()));
                t.add(vector(p + "self_attn.v_proj.bias", lw.vBias()));
            }
        }
        t.add(vector("model.norm.weight", w.finalNorm()));
        if (w.output() != w.embedding()) t.add(matrix("lm_head.weight", w.output(), 0, w.rope()));
        ModelConfig cfg = w.output() == w.embedding() == c.tieWordEmbeddings() ? c : retie(c, w.output() == w.embedding());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), Map.of("format", "pt"), t);
        HfModelConfig.write(cfg, dir.resolve("config.json"));
    }

    private static ModelConfig retie(ModelConfig c, boolean tied) {
        return new ModelConfig(c.architecture(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(),
                c.intermediateSize(), c.maxPositions(), c.normEps(), c.ropeTheta(), c.ropeScaling(), tied, c.attentionBias(),
                c.slidingWindow(), c.numLabels(), c.bosTokenId(), c.eosTokenId());
    }

    private static NamedTensor vector(String name, float[] v) {
        return new NamedTensor(name, new int[] {v.length}, v);
    }

    /** {@code ropeHeads > 0}: a q/k matrix, whose rows go to HF order if stored in Meta's. */
    private static NamedTensor matrix(String name, WeightMatrix m, int ropeHeads, RopeLayout rope) {
        float[] v = m.toFloats();
        if (ropeHeads > 0 && rope == RopeLayout.ADJACENT_PAIRS) v = LlamaCheckpoints.metaToHfRows(v, ropeHeads, m.rows() / ropeHeads, m.cols());
        return new NamedTensor(name, new int[] {m.rows(), m.cols()}, v);
    }

    /** llama2.c's legacy export: 7 int32 (dim, hidden, layers, heads, kv heads, ±vocab, seq_len), then F32 arrays. */
    public static void writeLlama2c(LlamaWeights w, Path file) {
        ModelConfig c = w.config();
        if (c.attentionBias()) throw new IllegalArgumentException(file + ": llama2.c .bin has no q/k/v biases; this model has them");
        Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".tmp");
        boolean tied = w.output() == w.embedding();
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(c.hiddenSize()).putInt(c.intermediateSize()).putInt(c.numLayers()).putInt(c.numHeads())
                    .putInt(c.numKvHeads()).putInt(tied ? c.vocabSize() : -c.vocabSize()).putInt(c.maxPositions());
            os.write(h.array());
            floats(os, w.embedding().toFloats());
            LayerWeights[] ls = w.layers();
            for (LayerWeights l : ls) floats(os, l.attnNorm());
            for (LayerWeights l : ls) floats(os, meta(l.wq(), c.numHeads(), w.rope()));
            for (LayerWeights l : ls) floats(os, meta(l.wk(), c.numKvHeads(), w.rope()));
            for (LayerWeights l : ls) floats(os, l.wv().toFloats());
            for (LayerWeights l : ls) floats(os, l.wo().toFloats());
            for (LayerWeights l : ls) floats(os, l.ffnNorm());
            for (LayerWeights l : ls) floats(os, l.gate().toFloats());
            for (LayerWeights l : ls) floats(os, l.down().toFloats());
            for (LayerWeights l : ls) floats(os, l.up().toFloats());
            floats(os, w.finalNorm());
            // RoPE tables (run.c recomputes them, but readers skip seq_len·head_size/2 floats twice)
            int half = c.headDim() / 2;
            float[] re = new float[c.maxPositions() * half], im = new float[re.length];
            for (int p = 0; p < c.maxPositions(); p++)
                for (int i = 0; i < half; i++) {
                    double a = p * Math.pow(c.ropeTheta(), -2.0 * i / c.headDim());
                    re[p * half + i] = (float) Math.cos(a);
                    im[p * half + i] = (float) Math.sin(a);
                }
            floats(os, re);
            floats(os, im);
            if (!tied) floats(os, w.output().toFloats());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " to " + file + ": " + e.getMessage(), e);
        }
    }

    private static float[] meta(WeightMatrix m, int heads, RopeLayout rope) {
        float[] v = m.toFloats();
        return rope == RopeLayout.HALVES ? GgufLlamaWriter.hfToMetaRows(v, heads, m.rows() / heads, m.cols()) : v;
    }

    private static void floats(OutputStream os, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * Math.min(v.length, 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; ) {
            b.clear();
            int n = Math.min(v.length - i, b.capacity() / 4);
            b.asFloatBuffer().put(v, i, n);
            os.write(b.array(), 0, 4 * n);
            i += n;
        }
    }
}
