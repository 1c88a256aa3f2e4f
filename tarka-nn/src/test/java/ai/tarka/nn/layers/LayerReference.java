package ai.tarka.nn.layers;

/** Plain-loop forward references for the layers (double accumulation, float results). */
final class LayerReference {
    private LayerReference() {}

    /** x [n, in], w [out, in], b [out] or null → [n, out]. */
    static float[] linear(float[] x, float[] w, float[] b, int n, int in, int out) {
        float[] y = new float[n * out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) s += (double) x[r * in + i] * w[o * in + i];
                y[r * out + o] = (float) s;
            }
        }
        return y;
    }

    /** Rows of x [n, c] normalised: (x − mean)/√(var + eps)·w + b (biased variance). */
    static float[] layerNorm(float[] x, float[] w, float[] b, int n, int c, float eps) {
        float[] y = new float[n * c];
        for (int r = 0; r < n; r++) {
            double mean = 0, var = 0;
            for (int i = 0; i < c; i++) mean += x[r * c + i];
            mean /= c;
            for (int i = 0; i < c; i++) var += (x[r * c + i] - mean) * (x[r * c + i] - mean);
            var /= c;
            double inv = 1 / Math.sqrt(var + eps);
            for (int i = 0; i < c; i++) y[r * c + i] = (float) ((x[r * c + i] - mean) * inv * w[i] + b[i]);
        }
        return y;
    }

    /** Rows of x [n, c]: x / √(mean(x²) + eps)·w. */
    static float[] rmsNorm(float[] x, float[] w, int n, int c, float eps) {
        float[] y = new float[n * c];
        for (int r = 0; r < n; r++) {
            double ms = 0;
            for (int i = 0; i < c; i++) ms += (double) x[r * c + i] * x[r * c + i];
            double inv = 1 / Math.sqrt(ms / c + eps);
            for (int i = 0; i < c; i++) y[r * c + i] = (float) (x[r * c + i] * inv * w[i]);
        }
        return y;
    }

    static float[] gaussian(java.util.Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
