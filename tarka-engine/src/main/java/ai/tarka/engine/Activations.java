package ai.tarka.engine;

import ai.tarka.kernels.activation.Dropout;
import ai.tarka.kernels.activation.Gelu;
import ai.tarka.kernels.activation.LogSoftmax;
import ai.tarka.kernels.activation.Silu;
import ai.tarka.kernels.activation.Softmax;
import ai.tarka.kernels.activation.SwiGlu;
import java.util.random.RandomGenerator;

/**
 * GELU (tanh form), SiLU, SwiGLU, softmax, log-softmax and dropout, each one fused kernel forward and
 * one backward. Results are new contiguous tensors (except dropout's identity cases, which return
 * the input itself).
 */
public final class Activations {
    private Activations() {}

    /** GELU with the tanh approximation, {@code x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
    public static Tensor gelu(Tensor x) {
        int n = x.numel();
        int[] shape = x.shape();
        float[] in = KernelArrays.dense(x);
        float[] out = new float[n];
        Gelu.forward(out, in, n);
        return Tensor.record("gelu", Tensor.of(out, shape), g -> {
            float[] dx = new float[n];
            Gelu.backward(dx, in, KernelArrays.dense(g), n);
            x.accumulateGradOwned(Tensor.of(dx, shape));
        }, x);
    }

    /** SiLU (swish), {@code x·σ(x)}. */
    public static Tensor silu(Tensor x) {
        int n = x.numel();
        int[] shape = x.shape();
        float[] in = KernelArrays.dense(x);
        float[] out = new float[n];
        Silu.forward(out, in, n);
        return Tensor.record("silu", Tensor.of(out, shape), g -> {
            float[] dx = new float[n];
            Silu.backward(dx, in, KernelArrays.dense(g), n);
            x.accumulateGradOwned(Tensor.of(dx, shape));
        }, x);
    }

    /** silu(gate) * up, fused: one pass forward, one pass backward for both gradients. Same shapes, no broadcasting. */
    public static Tensor swiglu(Tensor gate, Tensor up) {
        if (!gate.sameShape(up)) {
            throw new ShapeException("swiglu", "gate and up must have the same shape", gate.shape(), up.shape());
        }
        int n = gate.numel();
        int[] shape = gate.shape();
        float[] g = KernelArrays.dense(gate), u = KernelArrays.dense(up);
        float[] out = new float[n];
        SwiGlu.forward(out, g, u, n);
        return Tensor.record("swiglu", Tensor.of(out, shape), grad -> {
            float[] dg = gate.requiresGrad() ? new float[n] : null;
            float[] du = up.requiresGrad() ? new float[n] : null;
            SwiGlu.backward(dg, du, g, u, KernelArrays.dense(grad), n);
            if (dg != null) gate.accumulateGradOwned(Tensor.of(dg, shape));
            if (du != null) up.accumulateGradOwned(Tensor.of(du, shape));
        }, gate, up);
    }

    /**
     * Softmax along {@code dim} (negative counts from the end), numerically stable. Entries of -∞ (masked
     * positions) get probability 0; a row that is entirely -∞ gives NaN, as 0/0 would.
     */
    public static Tensor softmax(Tensor x, int dim) {
        return alongDim("softmax", x, dim, false);
    }

    /** Log-softmax along {@code dim}: {@code x − logsumexp(x)}, numerically stable. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return alongDim("logSoftmax", x, dim, true);
    }

    /**
     * The kernels work on contiguous rows; for any other dim the tensor is viewed with that dim swapped
     * to the end, copied to rows, and the result swapped back.
     */
    private static Tensor alongDim(String op, Tensor x, int dim, boolean log) {
        if (x.dim() == 0) throw new ShapeException(op, "needs a tensor with at least one dimension", x.shape());
        int d = Shapes.dim(op, dim, x.dim());
        int last = x.dim() - 1;
        int[] shape = x.shape();
        int c = shape[d];
        int n = c == 0 ? 0 : x.numel() / c;
        Tensor rowsView = d == last ? x.detach() : x.detach().transpose(d, last);
        int[] rowsShape = rowsView.shape();
        float[] in = KernelArrays.dense(rowsView);
        float[] y = new float[n * c];
        if (log) LogSoftmax.forward(y, in, n, c);
        else Softmax.forward(y, in, n, c);
        float[] out = d == last ? y : swapBack(y, rowsShape, d, last);
        return Tensor.record(op, Tensor.of(out, shape), g -> {
            float[] gRows = KernelArrays.dense(d == last ? g : g.transpose(d, last));
            float[] dRows = new float[n * c];
            if (log) LogSoftmax.backward(dRows, y, gRows, n, c);
            else Softmax.backward(dRows, y, gRows, n, c);
            x.accumulateGradOwned(Tensor.of(d == last ? dRows : swapBack(dRows, rowsShape, d, last), shape));
        }, x);
    }

    private static float[] swapBack(float[] rows, int[] rowsShape, int d, int last) {
        return Tensor.of(rows, rowsShape).transpose(d, last).toArray();
    }

    /**
     * Inverted dropout: zeroes each element with probability p and scales survivors by 1/(1−p), so the
     * expected value is unchanged. The mask is drawn from {@code rng} (one {@code nextFloat()} per
     * element, in row-major order) and kept for backward. When not training or p == 0 this is the
     * identity and returns {@code x} itself.
     *
     * @throws ShapeException if p is outside [0, 1)
     */
    public static Tensor dropout(Tensor x, float p, boolean training, RandomGenerator rng) {
        if (!(p >= 0f && p < 1f)) {
            throw new ShapeException("dropout", "probability p = " + p + " is outside [0, 1)", x.shape());
        }
        if (!training || p == 0f) return x;
        if (rng == null) throw new IllegalArgumentException("dropout: training with p = " + p + " needs a random generator");
        int n = x.numel();
        int[] shape = x.shape();
        float keep = 1f / (1f - p);
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) mask[i] = rng.nextFloat() < p ? 0f : keep;
        float[] out = new float[n];
        Dropout.forward(out, KernelArrays.dense(x), mask, n);
        return Tensor.record("dropout", Tensor.of(out, shape), g -> {
            float[] dx = new float[n];
            Dropout.backward(dx, KernelArrays.dense(g), mask, n);
            x.accumulateGradOwned(Tensor.of(dx, shape));
        }, x);
    }
}
