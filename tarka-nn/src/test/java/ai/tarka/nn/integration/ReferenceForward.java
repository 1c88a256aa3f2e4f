package ai.tarka.nn.integration;

import ai.tarka.engine.Tensor;
import java.util.Map;

/**
 * Plain double-precision loops computing the tiny models' logits straight from their state dicts,
 * written from the published architectures (GPT-2; Llama with Hugging Face's rotate-half RoPE and
 * query head h reading kv head h / (Hq/Hkv)), independent of the engine's ops.
 */
final class ReferenceForward {
    private final Map<String, Tensor> state;
    private final TinyConfig cfg;

    ReferenceForward(TinyLm model) {
        this.state = model.stateDict();
        this.cfg = model.config();
    }

    /** GPT-2 logits {@code [B·T][V]} for causal rows with positions 0..T−1. */
    double[][] gpt(int[] ids, int b, int t) {
        int w = cfg.heads() * cfg.headDim();
        double[][] x = new double[b * t][];
        for (int r = 0; r < b * t; r++) x[r] = add(row("wte.weight", ids[r]), row("wpe.weight", r % t));
        for (int l = 0; l < cfg.layers(); l++) {
            String p = "h." + l + ".";
            double[][] qkv = linear(layerNorm(x, p + "ln_1"), p + "c_attn");
            double[][] q = cols(qkv, 0, w), k = cols(qkv, w, w), v = cols(qkv, 2 * w, w);
            x = add(x, linear(attention(q, k, v, b, t, cfg.heads(), cfg.heads()), p + "c_proj"));
            double[][] hid = linear(layerNorm(x, p + "ln_2"), p + "c_fc");
            for (double[] r : hid) for (int i = 0; i < r.length; i++) r[i] = gelu(r[i]);
            x = add(x, linear(hid, p + "mlp_proj"));
        }
        return head(layerNorm(x, "ln_f"), cfg.tied() ? "wte.weight" : "lm_head.weight");
    }

    /** Llama logits {@code [B·T][V]} for causal rows with positions 0..T−1 and RoPE base 10000. */
    double[][] llama(int[] ids, int b, int t) {
        int d = cfg.headDim();
        double[][] x = new double[b * t][];
        for (int r = 0; r < b * t; r++) x[r] = row("embed_tokens.weight", ids[r]);
        for (int l = 0; l < cfg.layers(); l++) {
            String p = "layers." + l + ".";
            double[][] h = rmsNorm(x, p + "input_layernorm.weight");
            double[][] q = rope(linear(h, p + "q_proj"), t, d), k = rope(linear(h, p + "k_proj"), t, d);
            double[][] v = linear(h, p + "v_proj");
            x = add(x, linear(attention(q, k, v, b, t, cfg.heads(), cfg.kvHeads()), p + "o_proj"));
            double[][] h2 = rmsNorm(x, p + "post_attention_layernorm.weight");
            double[][] gate = linear(h2, p + "gate_proj"), up = linear(h2, p + "up_proj");
            for (int r = 0; r < gate.length; r++) {
                for (int i = 0; i < gate[r].length; i++) gate[r][i] = gate[r][i] / (1 + Math.exp(-gate[r][i])) * up[r][i];
            }
            x = add(x, linear(gate, p + "down_proj"));
        }
        return head(rmsNorm(x, "norm.weight"), cfg.tied() ? "embed_tokens.weight" : "lm_head.weight");
    }

    // ---------------------------------------------------------------- pieces

    private double[] row(String name, int i) {
        Tensor w = state.get(name);
        int c = w.size(1);
        double[] out = new double[c];
        for (int j = 0; j < c; j++) out[j] = w.get(i, j);
        return out;
    }

    private double[] vector(String name) {
        Tensor w = state.get(name);
        double[] out = new double[w.size(0)];
        for (int j = 0; j < out.length; j++) out[j] = w.get(j);
        return out;
    }

    /** {@code x·Wᵀ + b} with W {@code [out, in]}; the bias only when the state dict has one. */
    private double[][] linear(double[][] x, String prefix) {
        Tensor w = state.get(prefix + ".weight");
        double[] bias = state.containsKey(prefix + ".bias") ? vector(prefix + ".bias") : null;
        int out = w.size(0), in = w.size(1);
        double[][] y = new double[x.length][out];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) s += x[r][i] * w.get(o, i);
                y[r][o] = s;
            }
        }
        return y;
    }

    private double[][] head(double[][] x, String weight) {
        Tensor w = state.get(weight);
        double[][] y = new double[x.length][w.size(0)];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < w.size(0); o++) {
                for (int i = 0; i < w.size(1); i++) y[r][o] += x[r][i] * w.get(o, i);
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String prefix) {
        double[] g = vector(prefix + ".weight"), bias = vector(prefix + ".bias");
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            int c = x[r].length;
            double mean = 0, var = 0;
            for (double v : x[r]) mean += v / c;
            for (double v : x[r]) var += (v - mean) * (v - mean) / c;
            y[r] = new double[c];
            for (int i = 0; i < c; i++) y[r][i] = (x[r][i] - mean) / Math.sqrt(var + 1e-5) * g[i] + bias[i];
        }
        return y;
    }

    private double[][] rmsNorm(double[][] x, String weight) {
        double[] g = vector(weight);
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            int c = x[r].length;
            double ms = 0;
            for (double v : x[r]) ms += v * v / c;
            y[r] = new double[c];
            for (int i = 0; i < c; i++) y[r][i] = x[r][i] / Math.sqrt(ms + 1e-5) * g[i];
        }
        return y;
    }

    /** Rotate-half RoPE on every head of rows {@code [B·T][heads·D]}; row r has position r mod T. */
    private static double[][] rope(double[][] x, int t, int d) {
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            int pos = r % t;
            y[r] = x[r].clone();
            for (int h = 0; h < x[r].length / d; h++) {
                for (int i = 0; i < d / 2; i++) {
                    double angle = pos * Math.pow(10_000, -2.0 * i / d);
                    double a = x[r][h * d + i], b = x[r][h * d + i + d / 2];
                    y[r][h * d + i] = a * Math.cos(angle) - b * Math.sin(angle);
                    y[r][h * d + i + d / 2] = b * Math.cos(angle) + a * Math.sin(angle);
                }
            }
        }
        return y;
    }

    /** Causal softmax attention per row and head; heads merged head-major into {@code [B·T][Hq·D]}. */
    private double[][] attention(double[][] q, double[][] k, double[][] v, int b, int t, int hq, int hkv) {
        int d = cfg.headDim(), group = hq / hkv;
        double[][] out = new double[b * t][hq * d];
        for (int s = 0; s < b; s++) {
            for (int h = 0; h < hq; h++) {
                int kvh = h / group;
                for (int i = 0; i < t; i++) {
                    double[] score = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int e = 0; e < d; e++) dot += q[s * t + i][h * d + e] * k[s * t + j][kvh * d + e];
                        score[j] = dot / Math.sqrt(d);
                        max = Math.max(max, score[j]);
                    }
                    for (int j = 0; j <= i; j++) sum += score[j] = Math.exp(score[j] - max);
                    for (int j = 0; j <= i; j++) {
                        for (int e = 0; e < d; e++) out[s * t + i][h * d + e] += score[j] / sum * v[s * t + j][kvh * d + e];
                    }
                }
            }
        }
        return out;
    }

    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    private static double[][] cols(double[][] x, int from, int n) {
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) y[r] = java.util.Arrays.copyOfRange(x[r], from, from + n);
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) y[i] = a[i] + b[i];
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][];
        for (int r = 0; r < a.length; r++) y[r] = add(a[r], b[r]);
        return y;
    }
}
