package ai.tarka.kernels.attention;

/**
 * Plain-loop attention in double precision that materialises every score, the yardstick for the fused
 * and composed kernels. Visibility is spelled out from the mask's definition, independently of the
 * kernels' block logic.
 */
final class ReferenceAttention {
    private ReferenceAttention() {}

    /** Forward results: output {@code [B, Hq, T, D]} and log-sum-exp {@code [B, Hq, T]}. */
    record Forward(double[] o, double[] lse) {}

    /** Gradients of {@code Σ dO·o}. */
    record Gradients(double[] dq, double[] dk, double[] dv) {}

    static boolean visible(AttentionShape s, AttentionMaskSpec m, int b, int i, int j) {
        if (m.causal() && j > i + s.keyLen() - s.queryLen()) return false;
        int[] lengths = m.keyLengths();
        if (lengths != null && j >= lengths[b]) return false;
        int[] seg = m.segmentIds();
        return seg == null || seg[b * s.queryLen() + i] == seg[b * s.queryLen() + j];
    }

    /** Probabilities of one query row (all zero when it sees no key). */
    private static double[] probabilities(AttentionShape s, AttentionMaskSpec m, float scale,
                                          float[] q, float[] k, int b, int h, int i, double[] lseOut) {
        int t = s.queryLen(), n = s.keyLen(), d = s.headDim(), kvh = h / s.groupSize();
        int qo = ((b * s.queryHeads() + h) * t + i) * d;
        double[] score = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (!visible(s, m, b, i, j)) {
                score[j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            int ko = ((b * s.kvHeads() + kvh) * n + j) * d;
            double dot = 0;
            for (int x = 0; x < d; x++) dot += (double) q[qo + x] * k[ko + x];
            score[j] = scale * dot;
            max = Math.max(max, score[j]);
        }
        double[] p = new double[n];
        if (max == Double.NEGATIVE_INFINITY) {
            lseOut[0] = Double.NEGATIVE_INFINITY;
            return p;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) sum += Math.exp(score[j] - max);
        for (int j = 0; j < n; j++) p[j] = Math.exp(score[j] - max) / sum;
        lseOut[0] = max + Math.log(sum);
        return p;
    }

    static Forward forward(AttentionShape s, AttentionMaskSpec m, float scale, float[] q, float[] k, float[] v) {
        int t = s.queryLen(), n = s.keyLen(), d = s.headDim();
        double[] o = new double[s.queryElements()], lse = new double[s.rows()];
        double[] lseOut = new double[1];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.queryHeads(); h++) {
                int kvh = h / s.groupSize();
                for (int i = 0; i < t; i++) {
                    double[] p = probabilities(s, m, scale, q, k, b, h, i, lseOut);
                    int row = (b * s.queryHeads() + h) * t + i;
                    lse[row] = lseOut[0];
                    for (int j = 0; j < n; j++) {
                        int vo = ((b * s.kvHeads() + kvh) * n + j) * d;
                        for (int x = 0; x < d; x++) o[row * d + x] += p[j] * v[vo + x];
                    }
                }
            }
        }
        return new Forward(o, lse);
    }

    static Gradients backward(AttentionShape s, AttentionMaskSpec m, float scale,
                              float[] q, float[] k, float[] v, float[] dO) {
        int t = s.queryLen(), n = s.keyLen(), d = s.headDim();
        double[] dq = new double[s.queryElements()], dk = new double[s.keyElements()], dv = new double[s.keyElements()];
        double[] lseOut = new double[1];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.queryHeads(); h++) {
                int kvh = h / s.groupSize();
                for (int i = 0; i < t; i++) {
                    double[] p = probabilities(s, m, scale, q, k, b, h, i, lseOut);
                    int row = (b * s.queryHeads() + h) * t + i;
                    double[] dp = new double[n];
                    double rowDot = 0;
                    for (int j = 0; j < n; j++) {
                        int vo = ((b * s.kvHeads() + kvh) * n + j) * d;
                        for (int x = 0; x < d; x++) {
                            dv[vo + x] += p[j] * dO[row * d + x];
                            dp[j] += (double) dO[row * d + x] * v[vo + x];
                        }
                        rowDot += p[j] * dp[j];
                    }
                    for (int j = 0; j < n; j++) {
                        double ds = p[j] * (dp[j] - rowDot) * scale;
                        if (ds == 0) continue;
                        int ko = ((b * s.kvHeads() + kvh) * n + j) * d;
                        for (int x = 0; x < d; x++) {
                            dq[row * d + x] += ds * k[ko + x];
                            dk[ko + x] += ds * q[row * d + x];
                        }
                    }
                }
            }
        }
        return new Gradients(dq, dk, dv);
    }
}
