package ai.tarka.engine;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.elementwise.BinaryOp;
import ai.tarka.kernels.elementwise.BroadcastBinary;
import ai.tarka.kernels.elementwise.ElementwiseKernels;

/**
 * Elementwise arithmetic and math functions with numpy broadcasting, forward and backward.
 *
 * <p>Binary operations read both operands through their strides (stride 0 on broadcast
 * dimensions) and write a new contiguous result; {@link BroadcastBinary} picks the vector loop for
 * each run. The backward of a broadcast operand sums the gradient back to its shape with
 * {@link Reductions#sumTo}. Unary functions keep what their derivative needs: exp, tanh and sqrt
 * their output, log and pow their input.
 */
public final class Elementwise {
    private Elementwise() {}

    /** Elements per parallel chunk for the flat unary loops. */
    private static final int GRAIN = 1 << 15;

    // ---------------------------------------------------------------- binary, broadcasting

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = broadcast(BinaryOp.ADD, "add", a, b);
        int[] as = a.shape(), bs = b.shape();
        return Tensor.record("add", out, g -> {
            if (a.requiresGrad()) Reductions.accumulateSummed(g, a, g, as);
            if (b.requiresGrad()) Reductions.accumulateSummed(g, b, g, bs);
        }, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = broadcast(BinaryOp.SUB, "sub", a, b);
        int[] as = a.shape(), bs = b.shape();
        return Tensor.record("sub", out, g -> {
            if (a.requiresGrad()) Reductions.accumulateSummed(a, g, as);
            if (b.requiresGrad()) b.accumulateGradOwned(mulScalar(Reductions.sumTo(g, bs), -1f));
        }, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = broadcast(BinaryOp.MUL, "mul", a, b);
        int[] as = a.shape(), bs = b.shape();
        return Tensor.record("mul", out, g -> {
            if (a.requiresGrad()) a.accumulateGradOwned(Reductions.sumTo(broadcast(BinaryOp.MUL, "mul", g, b), as));
            if (b.requiresGrad()) b.accumulateGradOwned(Reductions.sumTo(broadcast(BinaryOp.MUL, "mul", g, a), bs));
        }, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = broadcast(BinaryOp.DIV, "div", a, b);
        int[] as = a.shape(), bs = b.shape();
        return Tensor.record("div", out, g -> {
            if (a.requiresGrad()) a.accumulateGradOwned(Reductions.sumTo(broadcast(BinaryOp.DIV, "div", g, b), as));
            if (b.requiresGrad()) {
                // d(a/b)/db = −(a/b)/b: reuse the output rather than squaring b; negate after reducing
                Tensor gy = broadcast(BinaryOp.MUL, "div", g, out);
                b.accumulateGradOwned(mulScalar(Reductions.sumTo(broadcast(BinaryOp.DIV, "div", gy, b), bs), -1f));
            }
        }, a, b);
    }

    /** Forward of a broadcasting binary op into a new contiguous tensor, not recorded. */
    static Tensor broadcast(BinaryOp op, String name, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(name, a.shape(), b.shape());
        float[] out = new float[Shapes.numel(name, shape)];
        BroadcastBinary.apply(op, shape, a.data(), a.offset(), stridesFor(a, shape), b.data(), b.offset(), stridesFor(b, shape), out, 0);
        return Tensor.of(out, shape);
    }

    /** The strides that read {@code t} as if expanded to {@code shape}: 0 on new and size-1 broadcast dimensions. */
    static int[] stridesFor(Tensor t, int[] shape) {
        int[] ts = t.shape(), st = t.strides(), out = new int[shape.length];
        int lead = shape.length - ts.length;
        for (int i = lead; i < shape.length; i++) {
            out[i] = ts[i - lead] == 1 && shape[i] != 1 ? 0 : st[i - lead];
        }
        return out;
    }

    // ---------------------------------------------------------------- with a scalar

    public static Tensor addScalar(Tensor a, float s) {
        Tensor y = unary(a, (x, xo, out, oo, n) -> ElementwiseKernels.addScalar(x, xo, s, out, oo, n));
        return Tensor.record("addScalar", y, a::accumulateGrad, a);
    }

    public static Tensor mulScalar(Tensor a, float s) {
        Tensor y = unary(a, (x, xo, out, oo, n) -> ElementwiseKernels.mulScalar(x, xo, s, out, oo, n));
        return Tensor.record("mulScalar", y, g -> a.accumulateGradOwned(mulScalar(g, s)), a);
    }

    // ---------------------------------------------------------------- unary functions

    public static Tensor exp(Tensor a) {
        Tensor y = unary(a, ElementwiseKernels::exp);
        return Tensor.record("exp", y, g -> a.accumulateGradOwned(broadcast(BinaryOp.MUL, "exp", g, y)), a);
    }

    public static Tensor log(Tensor a) {
        Tensor y = unary(a, ElementwiseKernels::log);
        return Tensor.record("log", y, g -> a.accumulateGradOwned(broadcast(BinaryOp.DIV, "log", g, a)), a);
    }

    public static Tensor sqrt(Tensor a) {
        Tensor y = unary(a, ElementwiseKernels::sqrt);
        return Tensor.record("sqrt", y, g -> a.accumulateGradOwned(withSaved(g, y, ElementwiseKernels::sqrtBackward)), a);
    }

    public static Tensor pow(Tensor a, float p) {
        Tensor y = unary(a, (x, xo, out, oo, n) -> ElementwiseKernels.pow(x, xo, p, out, oo, n));
        return Tensor.record("pow", y, g -> a.accumulateGradOwned(withSaved(g, a,
                (gd, go, xd, xo, out, oo, n) -> ElementwiseKernels.powBackward(gd, go, xd, xo, p, out, oo, n))), a);
    }

    public static Tensor tanh(Tensor a) {
        Tensor y = unary(a, ElementwiseKernels::tanh);
        return Tensor.record("tanh", y, g -> a.accumulateGradOwned(withSaved(g, y, ElementwiseKernels::tanhBackward)), a);
    }

    // ---------------------------------------------------------------- loop plumbing

    /** A contiguous one-input loop: {@code out[oo ..] = f(x[xo ..])} over n elements. */
    @FunctionalInterface
    private interface UnaryLoop {
        void run(float[] x, int xo, float[] out, int oo, int n);
    }

    /** A contiguous backward loop from the output gradient and one saved tensor. */
    @FunctionalInterface
    private interface BackwardLoop {
        void run(float[] g, int go, float[] s, int so, float[] out, int oo, int n);
    }

    /** A chunk {@code [start, start + n)} of a flat loop. */
    @FunctionalInterface
    private interface Chunk {
        void run(int start, int n);
    }

    private static Tensor unary(Tensor a, UnaryLoop f) {
        Tensor x = a.detach().contiguous();
        float[] out = new float[x.numel()];
        float[] xd = x.data();
        int xo = x.offset();
        parallel(out.length, (i, n) -> f.run(xd, xo + i, out, i, n));
        return Tensor.of(out, a.shape());
    }

    /** Applies a backward rule to {@code g} and a saved tensor of the same shape (either may be strided). */
    private static Tensor withSaved(Tensor g, Tensor saved, BackwardLoop f) {
        Tensor gc = g.detach().contiguous(), sc = saved.detach().contiguous();
        float[] out = new float[gc.numel()];
        float[] gd = gc.data(), sd = sc.data();
        int go = gc.offset(), so = sc.offset();
        parallel(out.length, (i, n) -> f.run(gd, go + i, sd, so + i, out, i, n));
        return Tensor.of(out, saved.shape());
    }

    private static void parallel(int total, Chunk chunk) {
        ComputePool.shared().parallelFor(total, GRAIN, (s, e) -> chunk.run(s, e - s));
    }
}
