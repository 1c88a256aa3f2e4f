package ai.tarka.nn;

import ai.tarka.engine.Tensor;

/**
 * Tiny hand-written differentiable ops for tests that must run before the engine's real ops are
 * merged: they use only {@code Tensor.record} and {@code accumulateGrad}.
 */
public final class TestOps {
    private TestOps() {}

    /** Σ w·x over all elements of {@code w} (row-major), as a 0-d tensor; d/dw = x. */
    public static Tensor dot(Tensor w, float[] x) {
        float[] wv = w.toArray();
        if (wv.length != x.length) throw new IllegalArgumentException("dot: " + wv.length + " vs " + x.length);
        double s = 0;
        for (int i = 0; i < x.length; i++) s += (double) wv[i] * x[i];
        int[] shape = w.shape();
        return Tensor.record("test.dot", Tensor.scalar((float) s), g -> {
            float[] gx = new float[x.length];
            for (int i = 0; i < x.length; i++) gx[i] = g.item() * x[i];
            w.accumulateGrad(Tensor.of(gx, shape));
        }, w);
    }

    /**
     * Squared error of a linear model over tokens {@code t} in {@code [from, to)}: Σ (w·x_t − y_t)²,
     * divided by the token count when {@code mean}. Rows with {@code mask[t] == false} are skipped
     * (masked tokens). Returns a 0-d tensor; the gradient is 2(w·x_t − y_t)·x_t per token.
     */
    public static Tensor squaredError(Tensor w, float[][] x, float[] y, boolean[] mask, int from, int to, boolean mean) {
        float[] wv = w.toArray();
        int k = wv.length, count = 0;
        double loss = 0;
        double[] grad = new double[k];
        for (int t = from; t < to; t++) {
            if (!mask[t]) continue;
            count++;
            double pred = 0;
            for (int i = 0; i < k; i++) pred += (double) wv[i] * x[t][i];
            double r = pred - y[t];
            loss += r * r;
            for (int i = 0; i < k; i++) grad[i] += 2 * r * x[t][i];
        }
        double scale = mean ? 1.0 / count : 1.0;
        int[] shape = w.shape();
        float[] gw = new float[k];
        for (int i = 0; i < k; i++) gw[i] = (float) (grad[i] * scale);
        return Tensor.record("test.squaredError", Tensor.scalar((float) (loss * scale)), g -> {
            float[] out = new float[k];
            for (int i = 0; i < k; i++) out[i] = g.item() * gw[i];
            w.accumulateGrad(Tensor.of(out, shape));
        }, w);
    }
}
