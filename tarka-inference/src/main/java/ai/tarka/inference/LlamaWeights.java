package ai.tarka.inference;

import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.ModelConfig;
import java.lang.foreign.Arena;
import java.util.function.UnaryOperator;

/**
 * All weights of a Llama-family model for the inference path. {@code output} is the token embedding itself when the
 * head is tied. {@code resources} (the mapped file, arenas of converted weights) is released by {@link #close()}.
 */
public record LlamaWeights(ModelConfig config, RopeLayout rope, WeightMatrix embedding, LayerWeights[] layers,
                           float[] finalNorm, WeightMatrix output, String source, AutoCloseable resources)
        implements AutoCloseable {

    /** Bytes of weights one decode step reads: every layer matrix and the output head (one embedding row aside). */
    public long bytesPerToken() {
        long b = output.byteSize();
        for (LayerWeights l : layers) for (WeightMatrix m : l.matrices()) b += m.byteSize();
        return b;
    }

    /**
     * These weights with every matrix whose row length fits {@code target}'s blocks re-encoded in it (others keep
     * their format, as llama.cpp keeps tensors whose rows do not fill blocks); new bytes live in an arena the result
     * closes. Unconverted matrices are shared, so these weights must stay open while the result is used.
     */
    public LlamaWeights convert(QuantFormat target) {
        Arena arena = Arena.ofShared();
        UnaryOperator<WeightMatrix> q = m -> m.cols() % target.blockSize() == 0 ? m.convert(target, arena) : m;
        LayerWeights[] ls = new LayerWeights[layers.length];
        for (int i = 0; i < ls.length; i++) {
            LayerWeights l = layers[i];
            ls[i] = new LayerWeights(l.attnNorm(), q.apply(l.wq()), q.apply(l.wk()), q.apply(l.wv()), q.apply(l.wo()),
                    l.qBias(), l.kBias(), l.vBias(), l.ffnNorm(), q.apply(l.gate()), q.apply(l.up()), q.apply(l.down()));
        }
        WeightMatrix emb = q.apply(embedding);
        WeightMatrix out = output == embedding ? emb : q.apply(output);
        return new LlamaWeights(config, rope, emb, ls, finalNorm, out, source + " as " + target, arena::close);
    }

    @Override
    public void close() {
        if (resources == null) return;
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException(source + ": cannot release weights: " + e.getMessage(), e);
        }
    }
}
