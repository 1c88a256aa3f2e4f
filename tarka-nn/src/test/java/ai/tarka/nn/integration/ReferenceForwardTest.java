package ai.tarka.nn.integration;

import ai.tarka.engine.GradMode;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine-built tiny models compute the architectures they claim: their logits match plain
 * double-precision loops over the same weights (layouts, head split and merge, GQA head mapping,
 * rotate-half RoPE, GELU/SwiGLU, tied heads). Float32 against double over two blocks: 1e-4 of the
 * logits' scale.
 */
class ReferenceForwardTest {
    static final int B = 2, T = 6, V = 13;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("gpt", true), Arguments.of("gpt", false),
                Arguments.of("llama", false), Arguments.of("llama", true));
    }

    @ParameterizedTest(name = "{0} tied={1}")
    @MethodSource("models")
    void logitsMatchAPlainLoopReference(String kind, boolean tied) {
        TinyLm model = kind.equals("gpt")
                ? new TinyGpt(TinyConfig.gpt(V, 12, 2, 3, T, tied), 51)
                : new TinyLlama(new TinyConfig(V, 12, 2, 6, 2, 6, 20, T, tied), 52);
        int[] ids = new Random(kind.hashCode()).ints(B * T, 0, V).toArray();
        float[] logits;
        try (var off = GradMode.disable()) {
            logits = model.logits(TokenBatch.causal(ids, new int[B * T], B, T)).toArray();
        }
        ReferenceForward ref = new ReferenceForward(model);
        double[][] expected = kind.equals("gpt") ? ref.gpt(ids, B, T) : ref.llama(ids, B, T);
        double scale = 0;
        for (double[] r : expected) for (double v : r) scale = Math.max(scale, Math.abs(v));
        for (int r = 0; r < B * T; r++) {
            for (int j = 0; j < V; j++) {
                double diff = Math.abs(logits[r * V + j] - expected[r][j]);
                if (diff > 1e-4 * scale) {
                    throw new AssertionError(kind + " row " + r + " logit " + j + ": " + logits[r * V + j] + " vs reference "
                            + expected[r][j] + " (scale " + scale + ")");
                }
            }
        }
    }
}
