package ai.tarka.kernels.optim;

/** Plain double-precision reference updates the fast optimiser kernels are compared against. */
final class OptimReference {
    private OptimReference() {}

    static void adamW(double[] p, double[] g, double[] m, double[] v, double lr, double b1, double b2, double eps,
                      double wd, long step) {
        double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd;
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double mHat = m[i] / bc1, vHat = v[i] / bc2;
            p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    static void sgd(double[] p, double[] g, double[] buf, double lr, double wd, double momentum, double dampening,
                    boolean nesterov, boolean first) {
        for (int i = 0; i < p.length; i++) {
            double d = g[i] + wd * p[i];
            if (momentum != 0) {
                buf[i] = first ? d : momentum * buf[i] + (1 - dampening) * d;
                d = nesterov ? d + momentum * buf[i] : buf[i];
            }
            p[i] -= lr * d;
        }
    }
}
