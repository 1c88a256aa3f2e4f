package ai.tarka.engine;

import ai.tarka.kernels.elementwise.StridedReduce;
import java.util.Arrays;

/**
 * Sum, mean and max reductions, and the sum-to-shape that broadcasting backward needs. Inputs are
 * read through their strides (no copy) for sums; max works on a contiguous copy when needed.
 * Backward of a sum or mean is a broadcast (stride-0 view) of the output gradient.
 */
public final class Reductions {
    private Reductions() {}

    /** Sum of all elements, shape []. */
    public static Tensor sum(Tensor a) {
        int[] shape = a.shape();
        float[] out = new float[1];
        reduce(a, allDims(shape.length), out);
        return Tensor.record("sum", Tensor.of(out), g -> a.accumulateGrad(g.expand(shape)), a);
    }

    public static Tensor sum(Tensor a, int dim, boolean keepDim) {
        int d = dimOf("sum", a, dim);
        int[] shape = a.shape(), kept = keptShape(shape, d);
        int[] outShape = keepDim ? kept : dropped(shape, d);
        float[] out = new float[Shapes.numel("sum", outShape)];
        reduce(a, oneDim(shape.length, d), out);
        return Tensor.record("sum", Tensor.of(out, outShape), g -> a.accumulateGrad(g.reshape(kept).expand(shape)), a);
    }

    public static Tensor mean(Tensor a) {
        int[] shape = a.shape();
        float[] out = new float[1];
        reduce(a, allDims(shape.length), out);
        float inv = 1f / a.numel();
        out[0] *= inv;
        return Tensor.record("mean", Tensor.of(out), g -> a.accumulateGrad(Elementwise.mulScalar(g, inv).expand(shape)), a);
    }

    public static Tensor mean(Tensor a, int dim, boolean keepDim) {
        int d = dimOf("mean", a, dim);
        int[] shape = a.shape(), kept = keptShape(shape, d);
        int[] outShape = keepDim ? kept : dropped(shape, d);
        float[] out = new float[Shapes.numel("mean", outShape)];
        reduce(a, oneDim(shape.length, d), out);
        float inv = 1f / shape[d];
        for (int i = 0; i < out.length; i++) out[i] *= inv;
        return Tensor.record("mean", Tensor.of(out, outShape),
                g -> a.accumulateGrad(Elementwise.mulScalar(g, inv).reshape(kept).expand(shape)), a);
    }

    /** Max along dim; the gradient flows to the first maximal element. */
    public static Tensor max(Tensor a, int dim, boolean keepDim) {
        int d = dimOf("max", a, dim);
        int[] shape = a.shape();
        if (shape[d] == 0) throw new ShapeException("max", "dimension " + d + " is empty", shape);
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        int[] kept = keptShape(shape, d);
        int[] outShape = keepDim ? kept : dropped(shape, d);
        Tensor x = a.detach().contiguous();
        float[] val = new float[outer * inner];
        int[] idx = new int[outer * inner];
        StridedReduce.maxAlong(x.data(), x.offset(), outer, shape[d], inner, val, idx);
        int len = shape[d], in = inner, out = outer;
        return Tensor.record("max", Tensor.of(val, outShape), g -> {
            float[] gd = g.toArray();
            float[] dx = new float[a.numel()];
            for (int o = 0, k = 0; o < out; o++) {
                for (int i = 0; i < in; i++, k++) dx[(o * len + idx[k]) * in + i] += gd[k];
            }
            a.accumulateGradOwned(Tensor.of(dx, shape));
        }, a);
    }

    /** Maximum of all elements, shape []; the gradient flows to the first maximal element (row-major). */
    public static Tensor max(Tensor a) {
        int[] shape = a.shape();
        if (a.numel() == 0) throw new ShapeException("max", "tensor is empty", shape);
        Tensor x = a.detach().contiguous();
        float[] val = new float[1];
        int[] idx = new int[1];
        StridedReduce.maxAlong(x.data(), x.offset(), 1, a.numel(), 1, val, idx);
        int at = idx[0];
        return Tensor.record("max", Tensor.of(val), g -> {
            float[] dx = new float[a.numel()];
            dx[at] = g.item();
            a.accumulateGradOwned(Tensor.of(dx, shape));
        }, a);
    }

    /**
     * Sums a broadcast gradient back down to {@code shape} (the inverse of broadcasting): leading
     * dimensions {@code g} has in excess are summed away, and so are dimensions where {@code shape}
     * has size 1. Returns {@code g} itself when the shapes already agree. Recorded like an op (its
     * backward is {@link Tensor#expand}).
     */
    public static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        if (lead < 0) throw new ShapeException("sumTo", "target has higher rank than the tensor", gs, shape);
        boolean[] red = new boolean[gs.length];
        for (int i = 0; i < gs.length; i++) {
            if (i < lead) {
                red[i] = true;
            } else if (shape[i - lead] != gs[i]) {
                if (shape[i - lead] != 1) {
                    throw new ShapeException("sumTo", "dimension " + i + " of size " + gs[i] + " cannot sum to "
                            + shape[i - lead] + " (target must broadcast to the tensor)", gs, shape);
                }
                red[i] = true;
            }
        }
        float[] out = new float[Shapes.numel("sumTo", shape)];
        reduce(g, red, out);
        return Tensor.record("sumTo", Tensor.of(out, shape.clone()), gg -> g.accumulateGrad(gg.expand(gs)), g);
    }

    /**
     * Sums {@code g} down to {@code shape} (see {@link #sumTo}) and adds it to {@code input}'s gradient:
     * a new sum is handed over without a copy, while {@code g} itself (no reduction needed) is the
     * incoming gradient, which other inputs may receive too, so it is copied.
     */
    static void accumulateSummed(Tensor input, Tensor g, int[] shape) {
        Tensor s = sumTo(g, shape);
        if (s == g) input.accumulateGrad(s);
        else input.accumulateGradOwned(s);
    }

    /** {@link #accumulateSummed} inside the backward of {@code gradOutput}'s node, where g itself may be donated. */
    static void accumulateSummed(Tensor gradOutput, Tensor input, Tensor g, int[] shape) {
        Tensor s = sumTo(g, shape);
        if (s == g) input.accumulateGradDonated(gradOutput, s);
        else input.accumulateGradOwned(s);
    }

    // ---------------------------------------------------------------- helpers

    private static void reduce(Tensor a, boolean[] dims, float[] out) {
        StridedReduce.sum(a.shape(), a.data(), a.offset(), a.strides(), dims, out, 0);
    }

    private static int dimOf(String op, Tensor a, int dim) {
        int r = a.dim();
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) throw new ShapeException(op, "dimension " + dim + " out of range for rank " + r, a.shape());
        return d;
    }

    private static boolean[] allDims(int rank) {
        boolean[] all = new boolean[rank];
        Arrays.fill(all, true);
        return all;
    }

    private static boolean[] oneDim(int rank, int d) {
        boolean[] one = new boolean[rank];
        one[d] = true;
        return one;
    }

    /** {@code shape} with dimension d set to 1. */
    private static int[] keptShape(int[] shape, int d) {
        int[] k = shape.clone();
        k[d] = 1;
        return k;
    }

    /** {@code shape} without dimension d. */
    private static int[] dropped(int[] shape, int d) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) out[j++] = shape[i];
        return out;
    }
}
