package ai.tarka.models;

import ai.tarka.engine.Attention;
import ai.tarka.engine.AttentionMask;
import ai.tarka.engine.Tensor;

/**
 * Causal self-attention of the decoders, with the two limits the engine's fused kernel does not express
 * together: a sliding window (Mistral) is applied through an explicit additive mask on a composed
 * {@code softmax(q·kᵀ·scale + mask)·v}, used only when some query actually has keys outside its window.
 *
 * <p>Window semantics follow Hugging Face Mistral: query at position {@code i} sees key {@code j} when
 * {@code j <= i} and {@code i - j < window}, i.e. itself and the {@code window - 1} tokens before it.
 */
final class DecoderAttention {
    private DecoderAttention() {}

    /**
     * @param q        {@code [B, Hq, T, D]} rotated queries
     * @param k        {@code [B, Hkv, S, D]} keys; the queries are the last T of the S positions (S ≥ T)
     * @param v        {@code [B, Hkv, S, D]}
     * @param window   sliding window in tokens, 0 for none
     * @param segments packed-sample ids {@code [B·T]} (needs S == T), or null
     * @return {@code [B, Hq, T, D]}
     */
    static Tensor attend(Tensor q, Tensor k, Tensor v, int window, int[] segments) {
        int t = q.size(2), s = k.size(2);
        boolean windowBites = window > 0 && s > window;
        if (!windowBites) {
            AttentionMask mask = segments == null ? AttentionMask.causal() : AttentionMask.causalPacked(segments);
            return Attention.scaledDotProduct(q, k, v, mask);
        }
        if (t == 1) {
            // one new token (decoding): its window is simply the last `window` keys
            return Attention.scaledDotProduct(q, k.slice(2, s - window, s), v.slice(2, s - window, s), AttentionMask.causal());
        }
        return composed(q, k, v, windowMask(q.size(0), t, s, window, segments));
    }

    /** {@code softmax(q·kᵀ/√D + mask)·v} with the kv heads repeated for grouped-query attention. */
    private static Tensor composed(Tensor q, Tensor k, Tensor v, Tensor mask) {
        int hq = q.size(1), hkv = k.size(1), d = q.size(3);
        Tensor kx = repeatKv(k, hq / hkv), vx = repeatKv(v, hq / hkv);                  // [B, Hq, S, D]
        Tensor scores = q.matmul(kx.transpose(2, 3)).mul((float) (1 / Math.sqrt(d)));   // [B, Hq, T, S]
        Tensor p = scores.add(mask).softmax(-1);
        return p.matmul(vx);                                                              // [B, Hq, T, D]
    }

    private static Tensor repeatKv(Tensor x, int groups) {
        if (groups == 1) return x;
        int b = x.size(0), h = x.size(1), s = x.size(2), d = x.size(3);
        return x.unsqueeze(2).expand(b, h, groups, s, d).reshape(b, h * groups, s, d);
    }

    /** Additive mask {@code [B, 1, T, S]}: 0 where a query may see a key, -∞ elsewhere. */
    static Tensor windowMask(int batch, int t, int s, int window, int[] segments) {
        float[] m = new float[batch * t * s];
        int shift = s - t;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < t; i++) {
                int qi = i + shift;
                for (int j = 0; j < s; j++) {
                    boolean visible = j <= qi && qi - j < window
                            && (segments == null || segments[b * t + i] == segments[b * t + j]);
                    m[(b * t + i) * s + j] = visible ? 0f : Float.NEGATIVE_INFINITY;
                }
            }
        }
        return Tensor.of(m, batch, 1, t, s);
    }
}
