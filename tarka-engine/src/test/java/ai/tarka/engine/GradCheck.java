package ai.tarka.engine;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences.
 *
 * <p>The function's output {@code y} is projected onto fixed random weights {@code w}, and the scalar
 * {@code L = Σ w·y} is accumulated in double precision. The analytic gradient is
 * {@code backward(w)}; the numeric one is {@code (L(x+ε) − L(x−ε)) / 2ε} per input element.
 * The engine computes in float32, so the forward values carry ~6e-8 relative rounding: with
 * ε = 1e-2 the difference quotient's rounding error is about 1e-5 of the output scale and its
 * truncation error O(ε²·f'''), which is why the default tolerance is {@code |a − n| <= atol + rtol·|n|}
 * with rtol = 1e-3 and atol = 1e-3 (absolute, for gradients of order one; tests that feed larger
 * values scale atol and say so).
 */
public final class GradCheck {
    private final double eps;
    private final double rtol;
    private final double atol;
    private final long seed;

    private GradCheck(double eps, double rtol, double atol, long seed) {
        this.eps = eps;
        this.rtol = rtol;
        this.atol = atol;
        this.seed = seed;
    }

    public static GradCheck defaults() {
        return new GradCheck(1e-2, 1e-3, 1e-3, 1234);
    }

    public GradCheck eps(double e) {
        return new GradCheck(e, rtol, atol, seed);
    }

    public GradCheck rtol(double r) {
        return new GradCheck(eps, r, atol, seed);
    }

    public GradCheck atol(double a) {
        return new GradCheck(eps, rtol, a, seed);
    }

    /**
     * Checks d(Σ w·f(inputs))/d(input) for every input that requires grad. Inputs must be leaf tensors
     * with contiguous storage; the function must be deterministic.
     */
    public void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.setGrad(null);
        }
        Tensor y = f.apply(inputs);
        Random rng = new Random(seed);
        float[] w = new float[y.numel()];
        for (int i = 0; i < w.length; i++) w[i] = (float) (rng.nextGaussian());
        Tensor seedGrad = Tensor.of(w, y.shape());
        y.backward(seedGrad);

        for (int ti = 0; ti < inputs.length; ti++) {
            Tensor x = inputs[ti];
            if (!x.requiresGrad()) continue;
            if (x.grad() == null) {
                throw new AssertionError(what + ": input " + ti + " " + Arrays.toString(x.shape()) + " received no gradient");
            }
            float[] analytic = x.grad().toArray();
            float[] data = x.data();
            int[] positions = positions(x);
            double worst = 0;
            String worstMsg = null;
            for (int e = 0; e < positions.length; e++) {
                int p = positions[e];
                float orig = data[p];
                data[p] = (float) (orig + eps);
                double plus = project(f, inputs, w);
                data[p] = (float) (orig - eps);
                double minus = project(f, inputs, w);
                data[p] = orig;
                // use the step actually taken in float arithmetic
                double h = ((double) (float) (orig + eps) - (double) (float) (orig - eps));
                double numeric = (plus - minus) / h;
                double a = analytic[e];
                double err = Math.abs(a - numeric);
                double allowed = atol + rtol * Math.abs(numeric);
                if (err - allowed > worst) {
                    worst = err - allowed;
                    worstMsg = what + ": input " + ti + " " + Arrays.toString(x.shape()) + " element " + e
                            + ": analytic " + a + " vs numeric " + numeric + " (|diff| " + err + " > " + allowed + ")";
                }
            }
            if (worstMsg != null) throw new AssertionError(worstMsg);
        }
    }

    private static double project(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] w) {
        try (var g = GradMode.disable()) {
            float[] y = f.apply(inputs).toArray();
            double s = 0;
            for (int i = 0; i < y.length; i++) s += (double) w[i] * y[i];
            return s;
        }
    }

    /** Storage positions of each element in row-major order. */
    private static int[] positions(Tensor x) {
        int n = x.numel();
        int[] out = new int[n];
        int[] shape = x.shape(), st = x.strides();
        int[] idx = new int[shape.length];
        for (int e = 0; e < n; e++) {
            int p = x.offset();
            for (int d = 0; d < shape.length; d++) p += idx[d] * st[d];
            out[e] = p;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }
}
