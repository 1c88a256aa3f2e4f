package ai.tarka.kernels.activation;

/** Plain double-precision loops: the definitions the fast activation kernels are checked against. */
final class ActivationReference {
    private ActivationReference() {}

    private static final double K = Math.sqrt(2 / Math.PI);

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(K * (x + 0.044715 * x * x * x)));
    }

    static double geluGrad(double x) {
        double u = K * (x + 0.044715 * x * x * x);
        double th = Math.tanh(u);
        return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * K * (1 + 3 * 0.044715 * x * x);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double silu(double x) {
        return x * sigmoid(x);
    }

    static double siluGrad(double x) {
        double s = sigmoid(x);
        return s + x * s * (1 - s);
    }

    static double[] softmax(float[] x, int n, int c) {
        double[] out = new double[n * c];
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < c; i++) max = Math.max(max, x[r * c + i]);
            double sum = 0;
            for (int i = 0; i < c; i++) sum += Math.exp(x[r * c + i] - max);
            for (int i = 0; i < c; i++) out[r * c + i] = Math.exp(x[r * c + i] - max) / sum;
        }
        return out;
    }

    static double[] logSoftmax(float[] x, int n, int c) {
        double[] out = new double[n * c];
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < c; i++) max = Math.max(max, x[r * c + i]);
            double sum = 0;
            for (int i = 0; i < c; i++) sum += Math.exp(x[r * c + i] - max);
            double lse = max + Math.log(sum);
            for (int i = 0; i < c; i++) out[r * c + i] = x[r * c + i] - lse;
        }
        return out;
    }

    /** Jacobian-vector product of softmax: dx = y ⊙ (g − ⟨y, g⟩). */
    static double[] softmaxBackward(double[] y, float[] g, int n, int c) {
        double[] dx = new double[n * c];
        for (int r = 0; r < n; r++) {
            double dot = 0;
            for (int i = 0; i < c; i++) dot += y[r * c + i] * g[r * c + i];
            for (int i = 0; i < c; i++) dx[r * c + i] = y[r * c + i] * (g[r * c + i] - dot);
        }
        return dx;
    }

    /** dx = g − softmax ⊙ Σg. */
    static double[] logSoftmaxBackward(double[] logp, float[] g, int n, int c) {
        double[] dx = new double[n * c];
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int i = 0; i < c; i++) sum += g[r * c + i];
            for (int i = 0; i < c; i++) dx[r * c + i] = g[r * c + i] - Math.exp(logp[r * c + i]) * sum;
        }
        return dx;
    }
}
