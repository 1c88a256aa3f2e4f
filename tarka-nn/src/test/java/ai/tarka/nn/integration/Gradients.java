package ai.tarka.nn.integration;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Parameter-gradient snapshots and comparisons for the integration tests. */
final class Gradients {
    private Gradients() {}

    /** Clears every gradient, back-propagates {@code loss} and copies each parameter's gradient. */
    static Map<String, float[]> of(Module model, Supplier<Tensor> loss) {
        clear(model);
        loss.get().backward();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : model.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            out.put(e.getKey(), g == null ? new float[e.getValue().numel()] : g.toArray());
        }
        clear(model);
        return out;
    }

    /** Drops own gradients, zeroes flat-buffer views (which must stay bound). */
    static void clear(Module model) {
        for (Parameter p : model.namedParameters().values()) {
            if (p.buffer() == null) p.tensor().setGrad(null);
            else p.tensor().zeroGrad();
        }
    }

    /** {@code Σ weights[i]·parts[i]} per parameter. */
    static Map<String, float[]> weightedSum(Map<String, float[]>[] parts, double[] weights) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String k : parts[0].keySet()) {
            float[] sum = new float[parts[0].get(k).length];
            for (int i = 0; i < sum.length; i++) {
                double s = 0;
                for (int p = 0; p < parts.length; p++) s += weights[p] * parts[p].get(k)[i];
                sum[i] = (float) s;
            }
            out.put(k, sum);
        }
        return out;
    }

    /**
     * Per parameter, {@code |actual − expected| <= tol·max(1, max|expected|)} elementwise: the
     * tolerance scales with the tensor's largest gradient, as float32 rounding of its sums does.
     */
    static void assertClose(Map<String, float[]> actual, Map<String, float[]> expected, double tol) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String k : expected.keySet()) {
            float[] a = actual.get(k), e = expected.get(k);
            double scale = 1;
            for (float v : e) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < e.length; i++) {
                if (Math.abs(a[i] - e[i]) > tol * scale) {
                    throw new AssertionError(k + "[" + i + "]: " + a[i] + " vs expected " + e[i] + " (tolerance " + tol * scale + ")");
                }
            }
        }
    }

    /** The largest absolute gradient over all parameters (to show a comparison is not of zeros). */
    static double maxAbs(Map<String, float[]> grads) {
        double m = 0;
        for (float[] g : grads.values()) for (float v : g) m = Math.max(m, Math.abs(v));
        return m;
    }
}
