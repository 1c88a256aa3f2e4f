package ai.tarka.nn.integration;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Finite-difference check of a scalar loss with respect to every parameter tensor of a module (the
 * engine's test-tree GradCheck is not visible here, and it checks ops, not a whole model's loss).
 *
 * <p>Per tensor it compares (1) the derivative along one random direction through ALL elements with
 * {@code Σ g·u}, and (2) the derivatives of a seeded sample of single elements. Each derivative is a
 * Richardson-extrapolated central difference {@code (4·D(h) − D(2h))/3} (truncation O(h⁴), so the step
 * can stay large next to float32 rounding); each {@code D} divides by the perturbation actually stored
 * in float32, so rounding of {@code x ± h} adds no error. A derivative passes when
 * {@code |analytic − numeric| <= atol + rtol·|numeric|}.
 */
final class FiniteDifference {
    private final double h;
    private final double rtol;
    private final double atol;
    private final int samplesPerTensor;
    private final long seed;

    FiniteDifference(double h, double rtol, double atol, int samplesPerTensor, long seed) {
        this.h = h;
        this.rtol = rtol;
        this.atol = atol;
        this.samplesPerTensor = samplesPerTensor;
        this.seed = seed;
    }

    /** One compared derivative. */
    record Entry(String parameter, String what, double analytic, double numeric, boolean ok) {
        double error() {
            return Math.abs(analytic - numeric);
        }

        @Override
        public String toString() {
            return parameter + " " + what + ": analytic " + analytic + ", numeric " + numeric + ", |diff| " + error();
        }
    }

    /** Every compared derivative, and which tensors were checked. */
    record Report(List<Entry> entries, List<String> parameters) {
        List<Entry> failures() {
            return entries.stream().filter(e -> !e.ok()).toList();
        }

        double worstRelative() {
            double w = 0;
            for (Entry e : entries) w = Math.max(w, e.error() / Math.max(Math.abs(e.numeric()), 1e-12));
            return w;
        }
    }

    /**
     * Runs {@code loss} once with gradients (after zeroing them), then perturbs each parameter in
     * place and re-evaluates it with grad mode off. Parameters are restored exactly afterwards.
     */
    Report check(Module model, Supplier<Tensor> loss) {
        Map<String, Parameter> params = model.namedParameters();
        for (Parameter p : params.values()) {
            if (p.buffer() == null) p.tensor().setGrad(null);
            else p.tensor().zeroGrad();
        }
        loss.get().backward();
        Map<String, float[]> analytic = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) throw new AssertionError(e.getKey() + " received no gradient");
            analytic.put(e.getKey(), g.toArray());
        }
        Random rng = new Random(seed);
        List<Entry> entries = new ArrayList<>();
        try (var off = GradMode.disable()) {
            for (var e : params.entrySet()) {
                Tensor t = e.getValue().tensor();
                if (!t.isContiguous()) throw new AssertionError(e.getKey() + " is not contiguous");
                float[] g = analytic.get(e.getKey());
                entries.add(directional(e.getKey(), t, g, loss, rng));
                for (int i : sample(t.numel(), rng)) {
                    double num = derivative(loss, t, new int[] {i}, new float[] {1f});
                    entries.add(entry(e.getKey(), "element " + i, g[i], num));
                }
            }
        }
        return new Report(entries, List.copyOf(params.keySet()));
    }

    /**
     * The derivative along a unit direction half-way between the analytic gradient and a random
     * vector: the gradient part keeps it well away from zero, the random part catches an analytic
     * gradient that is wrong where it is (close to) zero.
     */
    private Entry directional(String name, Tensor t, float[] g, Supplier<Tensor> loss, Random rng) {
        int n = t.numel();
        int[] all = new int[n];
        double[] r = new double[n];
        double gNorm = 0, rNorm = 0;
        for (int i = 0; i < n; i++) {
            all[i] = i;
            r[i] = rng.nextGaussian();
            gNorm += (double) g[i] * g[i];
            rNorm += r[i] * r[i];
        }
        gNorm = Math.max(Math.sqrt(gNorm), 1e-30);
        rNorm = Math.sqrt(rNorm);
        double[] mix = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            mix[i] = g[i] / gNorm + r[i] / rNorm;
            norm += mix[i] * mix[i];
        }
        float[] u = new float[n];
        double dot = 0;
        for (int i = 0; i < n; i++) {
            u[i] = (float) (mix[i] / Math.sqrt(norm));
            dot += (double) g[i] * u[i];
        }
        return entry(name, "direction", dot, derivative(loss, t, all, u));
    }

    private Entry entry(String name, String what, double analytic, double numeric) {
        return new Entry(name, what, analytic, numeric, Math.abs(analytic - numeric) <= atol + rtol * Math.abs(numeric));
    }

    /** Richardson extrapolation of two central differences along {@code u} restricted to {@code idx}. */
    private double derivative(Supplier<Tensor> loss, Tensor t, int[] idx, float[] u) {
        return (4 * central(loss, t, idx, u, h) - central(loss, t, idx, u, 2 * h)) / 3;
    }

    /**
     * {@code (L(x + s·u) − L(x − s·u)) / (2s)} where, for a single element, s is the step actually
     * stored (x ± h rounded to float, measured back in double).
     */
    private static double central(Supplier<Tensor> loss, Tensor t, int[] idx, float[] u, double step) {
        float[] d = t.data();
        int base = t.offset();
        float[] orig = new float[idx.length];
        for (int j = 0; j < idx.length; j++) orig[j] = d[base + idx[j]];
        double up = 0, down = 0;
        for (int j = 0; j < idx.length; j++) d[base + idx[j]] = (float) (orig[j] + step * u[j]);
        if (idx.length == 1) up = ((double) d[base + idx[0]] - orig[0]) / u[0];
        double plus = loss.get().item();
        for (int j = 0; j < idx.length; j++) d[base + idx[j]] = (float) (orig[j] - step * u[j]);
        if (idx.length == 1) down = (orig[0] - (double) d[base + idx[0]]) / u[0];
        double minus = loss.get().item();
        for (int j = 0; j < idx.length; j++) d[base + idx[j]] = orig[j];
        double width = idx.length == 1 ? up + down : 2 * step;
        return (plus - minus) / width;
    }

    /** Up to {@code samplesPerTensor} distinct indices of [0, n), all of them when n is that small. */
    private int[] sample(int n, Random rng) {
        int k = Math.min(n, samplesPerTensor);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int s = perm[i];
            perm[i] = perm[j];
            perm[j] = s;
        }
        return java.util.Arrays.copyOf(perm, k);
    }
}
