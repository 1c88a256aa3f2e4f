package ai.tarka.eval.report;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.KvCache;

/**
 * Latency and throughput of a model on this machine: prefill (one forward over a prompt) and cached decoding (one
 * token at a time), best of a few repeats after a warm-up. A stand-in until the inference benchmark supplies these.
 */
public record ModelSpeed(int promptTokens, int decodeTokens, double prefillTokensPerSecond, double decodeTokensPerSecond,
                         double msPerDecodedToken, long parameters) {

    public static ModelSpeed measure(CausalLm model, int promptTokens, int decodeTokens, int repeats) {
        int max = model.config().maxPositions();
        promptTokens = Math.min(promptTokens, max - decodeTokens);
        int vocab = model.config().vocabSize();
        int[] prompt = new int[promptTokens];
        for (int i = 0; i < promptTokens; i++) prompt[i] = (i * 31 + 7) % vocab;
        double bestPrefill = Double.MAX_VALUE, bestDecode = Double.MAX_VALUE;
        try (var g = GradMode.disable()) {
            for (int r = 0; r <= repeats; r++) {   // round 0 warms up
                KvCache cache = model.newCache(1, promptTokens + decodeTokens);
                long t0 = System.nanoTime();
                Tensor logits = model.forwardCached(prompt, 1, promptTokens, cache);
                long t1 = System.nanoTime();
                int next = (int) (Math.abs(logits.data()[logits.offset()]) * 1000) % vocab;
                for (int k = 0; k < decodeTokens; k++) {
                    Tensor out = model.forwardCached(new int[] {next}, 1, 1, cache);
                    next = (next + 1 + (out.data()[out.offset()] > 0 ? 1 : 0)) % vocab;
                }
                long t2 = System.nanoTime();
                if (r > 0) {
                    bestPrefill = Math.min(bestPrefill, (t1 - t0) / 1e9);
                    bestDecode = Math.min(bestDecode, (t2 - t1) / 1e9);
                }
            }
        }
        long params = 0;
        for (var p : model.module().namedParameters().values()) params += p.numel();
        return new ModelSpeed(promptTokens, decodeTokens, promptTokens / bestPrefill, decodeTokens / bestDecode,
                1000 * bestDecode / decodeTokens, params);
    }
}
