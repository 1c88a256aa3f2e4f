package ai.tarka.nn.optim;

import java.util.HashMap;
import java.util.Map;

/**
 * Plain double-precision AdamW and SGD over named parameters, written from the update equations,
 * that the flat-buffer optimisers are compared against. Each parameter carries its own weight
 * decay and learning-rate multiplier (its group's).
 */
final class ReferenceOptimizers {
    private ReferenceOptimizers() {}

    record Hyper(double weightDecay, double lrScale) {}

    static final class AdamW {
        final double b1, b2, eps;
        final Map<String, double[]> m = new HashMap<>(), v = new HashMap<>();
        long t;

        AdamW(double b1, double b2, double eps) {
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
        }

        void step(Map<String, double[]> params, Map<String, double[]> grads, Map<String, Hyper> hyper, double lr) {
            t++;
            double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
            for (var e : params.entrySet()) {
                double[] p = e.getValue(), g = grads.get(e.getKey());
                double[] mm = m.computeIfAbsent(e.getKey(), k -> new double[p.length]);
                double[] vv = v.computeIfAbsent(e.getKey(), k -> new double[p.length]);
                Hyper h = hyper.get(e.getKey());
                double a = lr * h.lrScale();
                for (int i = 0; i < p.length; i++) {
                    p[i] -= a * h.weightDecay() * p[i];
                    mm[i] = b1 * mm[i] + (1 - b1) * g[i];
                    vv[i] = b2 * vv[i] + (1 - b2) * g[i] * g[i];
                    p[i] -= a * (mm[i] / bc1) / (Math.sqrt(vv[i] / bc2) + eps);
                }
            }
        }
    }

    static final class Sgd {
        final double momentum, dampening;
        final boolean nesterov;
        final Map<String, double[]> buf = new HashMap<>();

        Sgd(double momentum, double dampening, boolean nesterov) {
            this.momentum = momentum;
            this.dampening = dampening;
            this.nesterov = nesterov;
        }

        void step(Map<String, double[]> params, Map<String, double[]> grads, Map<String, Hyper> hyper, double lr) {
            for (var e : params.entrySet()) {
                double[] p = e.getValue(), g = grads.get(e.getKey());
                Hyper h = hyper.get(e.getKey());
                double[] b = buf.get(e.getKey());
                boolean first = b == null;
                if (first) buf.put(e.getKey(), b = new double[p.length]);
                for (int i = 0; i < p.length; i++) {
                    double d = g[i] + h.weightDecay() * p[i];
                    if (momentum != 0) {
                        b[i] = first ? d : momentum * b[i] + (1 - dampening) * d;
                        d = nesterov ? d + momentum * b[i] : b[i];
                    }
                    p[i] -= lr * h.lrScale() * d;
                }
            }
        }
    }
}
