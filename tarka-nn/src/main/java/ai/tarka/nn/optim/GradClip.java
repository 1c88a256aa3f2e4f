package ai.tarka.nn.optim;

import ai.tarka.engine.NonFiniteException;
import ai.tarka.engine.Shapes;
import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.optim.GradientKernels;
import ai.tarka.nn.Module;
import ai.tarka.nn.Parameter;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.ParameterBuffer.Slot;
import ai.tarka.nn.TrainableRuns;
import java.util.Map;

/**
 * Global gradient-norm clipping: the L2 norm over every trainable gradient together, computed in
 * double; if it exceeds {@code maxNorm} all gradients are scaled by {@code maxNorm / (norm + 1e-6)}
 * (PyTorch's formula). A NaN or infinite norm throws {@link NonFiniteException} naming the first
 * parameter, in layout order, whose gradient holds a NaN or infinity.
 *
 * <p>Over a flat buffer the sum of squares is split into fixed blocks of {@value #BLOCK} floats
 * whose partial sums are added in block order, so the norm is identical for any thread count.
 */
public final class GradClip {
    private GradClip() {}

    static final int BLOCK = 1 << 16;
    private static final double EPS = 1e-6;

    /** Clips the trainable gradients of a flat buffer; returns the norm before clipping. */
    public static double clipGlobalNorm(ParameterBuffer buffer, double maxNorm) {
        checkMaxNorm(maxNorm);
        TrainableRuns runs = TrainableRuns.of(buffer);
        double norm = globalNorm(buffer, runs);
        if (norm > maxNorm) scale(buffer, runs, (float) (maxNorm / (norm + EPS)));
        return norm;
    }

    /** The global L2 norm of the trainable gradients of a flat buffer (throws on NaN/Inf). */
    public static double globalNorm(ParameterBuffer buffer) {
        return globalNorm(buffer, TrainableRuns.of(buffer));
    }

    /** Multiplies every trainable gradient of a flat buffer by {@code factor}. */
    public static void scale(ParameterBuffer buffer, TrainableRuns runs, float factor) {
        float[] g = buffer.grads();
        ComputePool.shared().parallelFor(runs.total(), Optimizer.GRAIN, (from, to) ->
                runs.forEachPiece(from, to, (run, off, packed, n) -> GradientKernels.scale(g, off, n, factor)));
    }

    static double globalNorm(ParameterBuffer buffer, TrainableRuns runs) {
        float[] g = buffer.grads();
        int total = runs.total();
        int blocks = (total + BLOCK - 1) / BLOCK;
        double[] partial = new double[blocks];
        ComputePool.shared().parallelFor(blocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int from = b * BLOCK, to = Math.min(total, from + BLOCK);
                double s = 0;
                for (int r = runs.runContaining(from); r < runs.runCount() && runs.packedStart(r) < to; r++) {
                    int a = Math.max(from, runs.packedStart(r));
                    int e = Math.min(to, runs.packedStart(r) + runs.length(r));
                    if (a < e) s += GradientKernels.sumOfSquares(g, runs.bufferStart(r) + (a - runs.packedStart(r)), e - a);
                }
                partial[b] = s;
            }
        });
        double sum = 0;
        for (double p : partial) sum += p;
        if (!Double.isFinite(sum)) throw firstNonFinite(buffer);
        return Math.sqrt(sum);
    }

    private static NonFiniteException firstNonFinite(ParameterBuffer buffer) {
        float[] g = buffer.grads();
        for (Slot s : buffer.slots()) {
            if (!s.requiresGrad()) continue;
            int i = GradientKernels.indexOfNonFinite(g, s.offset(), s.numel());
            if (i >= 0) return nonFinite(s.name(), s.shape(), i, g[s.offset() + i]);
        }
        return new NonFiniteException("gradient norm is not finite, but no trainable gradient holds a NaN or infinity");
    }

    /** Clips the gradients of a module's trainable parameters (each parameter's own gradient tensor). */
    public static double clipGlobalNorm(Module module, double maxNorm) {
        return clipGlobalNorm(module.namedParameters(), maxNorm);
    }

    /** Clips the gradients of the given trainable parameters that have one; returns the norm before clipping. */
    public static double clipGlobalNorm(Map<String, Parameter> parameters, double maxNorm) {
        checkMaxNorm(maxNorm);
        double sum = 0;
        for (Parameter p : parameters.values()) {
            Tensor gr = p.grad();
            if (!p.requiresGrad() || gr == null) continue;
            sum += gr.isContiguous() ? GradientKernels.sumOfSquares(gr.data(), gr.offset(), gr.numel())
                    : GradientKernels.sumOfSquaresScalar(gr.toArray(), 0, gr.numel());
        }
        if (!Double.isFinite(sum)) {
            for (var e : parameters.entrySet()) {
                Tensor gr = e.getValue().grad();
                if (!e.getValue().requiresGrad() || gr == null) continue;
                float[] a = gr.toArray();
                int i = GradientKernels.indexOfNonFinite(a, 0, a.length);
                if (i >= 0) throw nonFinite(e.getKey(), gr.shape(), i, a[i]);
            }
            throw new NonFiniteException("gradient norm is not finite, but no trainable gradient holds a NaN or infinity");
        }
        double norm = Math.sqrt(sum);
        if (norm > maxNorm) {
            float factor = (float) (maxNorm / (norm + EPS));
            for (Parameter p : parameters.values()) {
                Tensor gr = p.grad();
                if (!p.requiresGrad() || gr == null) continue;
                if (gr.isContiguous()) {
                    GradientKernels.scale(gr.data(), gr.offset(), gr.numel(), factor);
                } else {
                    float[] a = gr.toArray();
                    GradientKernels.scale(a, 0, a.length, factor);
                    Strided.assign(gr, Tensor.of(a, gr.shape()));
                }
            }
        }
        return norm;
    }

    private static NonFiniteException nonFinite(String name, int[] shape, int index, float value) {
        return new NonFiniteException("gradient norm is not finite: parameter '" + name + "' " + Shapes.str(shape)
                + " has gradient " + value + " at flat index " + index);
    }

    private static void checkMaxNorm(double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("GradClip: maxNorm must be > 0, got " + maxNorm);
    }
}
