package ai.tarka.nn;

import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;
import java.util.random.RandomGenerator;

/**
 * In-place parameter initialisers with a caller-supplied seeded generator. Values are drawn in
 * row-major order of the tensor, so a given seed gives the same weights whatever the tensor's
 * storage (own array or a flat-buffer view). Fan-in/fan-out follow PyTorch: for a weight
 * {@code [out, in, k...]}, fan in = in·Πk and fan out = out·Πk.
 */
public final class Init {
    private Init() {}

    public static void normal(Parameter p, double mean, double std, RandomGenerator rng) {
        normal(p.tensor(), mean, std, rng);
    }

    /** Normal values with the given mean and standard deviation (GPT-2 uses std 0.02). */
    public static void normal(Tensor t, double mean, double std, RandomGenerator rng) {
        if (!(std >= 0)) throw new IllegalArgumentException("Init.normal: std must be >= 0, got " + std);
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (mean + std * rng.nextGaussian());
        write(t, v);
    }

    public static void uniform(Parameter p, double lo, double hi, RandomGenerator rng) {
        uniform(p.tensor(), lo, hi, rng);
    }

    /** Uniform values in {@code [lo, hi)}. */
    public static void uniform(Tensor t, double lo, double hi, RandomGenerator rng) {
        if (!(hi >= lo)) throw new IllegalArgumentException("Init.uniform: need lo <= hi, got [" + lo + ", " + hi + ")");
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        write(t, v);
    }

    public static void constant(Tensor t, float value) {
        Strided.fill(t, value);
    }

    public static void zeros(Parameter p) {
        constant(p.tensor(), 0f);
    }

    public static void ones(Parameter p) {
        constant(p.tensor(), 1f);
    }

    public static void kaimingUniform(Parameter p, double a, RandomGenerator rng) {
        kaimingUniform(p.tensor(), a, rng);
    }

    /**
     * He uniform in fan-in mode for a leaky-ReLU slope {@code a}: bound = gain·√(3 / fan_in),
     * gain = √(2 / (1 + a²)). With a = √5 this is PyTorch's default Linear init, bound 1/√fan_in.
     */
    public static void kaimingUniform(Tensor t, double a, RandomGenerator rng) {
        double gain = Math.sqrt(2.0 / (1 + a * a));
        double bound = gain * Math.sqrt(3.0 / fanIn("Init.kaimingUniform", t));
        uniform(t, -bound, bound, rng);
    }

    public static void xavierUniform(Parameter p, double gain, RandomGenerator rng) {
        xavierUniform(p.tensor(), gain, rng);
    }

    /** Glorot uniform: bound = gain·√(6 / (fan_in + fan_out)). */
    public static void xavierUniform(Tensor t, double gain, RandomGenerator rng) {
        double bound = gain * Math.sqrt(6.0 / (fanIn("Init.xavierUniform", t) + fanOut("Init.xavierUniform", t)));
        uniform(t, -bound, bound, rng);
    }

    /** Input features times receptive field, for a weight of shape {@code [out, in, k...]}. */
    public static int fanIn(String op, Tensor t) {
        int r = receptiveField(op, t);
        return t.size(1) * r;
    }

    public static int fanOut(String op, Tensor t) {
        int r = receptiveField(op, t);
        return t.size(0) * r;
    }

    private static int receptiveField(String op, Tensor t) {
        if (t.dim() < 2) throw new ShapeException(op, "fan in and fan out need a tensor of rank >= 2", t.shape());
        int r = 1;
        for (int d = 2; d < t.dim(); d++) r *= t.size(d);
        if (t.size(0) == 0 || t.size(1) == 0 || r == 0) throw new ShapeException(op, "fan of an empty tensor", t.shape());
        return r;
    }

    private static void write(Tensor t, float[] v) {
        Strided.assign(t.detach(), Tensor.of(v, t.shape()));
    }
}
