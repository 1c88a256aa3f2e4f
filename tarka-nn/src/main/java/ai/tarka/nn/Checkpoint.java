package ai.tarka.nn;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Tensor;
import java.util.function.UnaryOperator;

/**
 * Gradient checkpointing (activation recomputation): a segment of the forward pass runs without recording its
 * graph, keeping only its input; backward runs the segment again with recording on and backpropagates through that
 * second pass. Memory for the segment's activations is traded for a second forward.
 *
 * <p>The segment must compute the same function both times: randomness inside it (dropout) would differ between the
 * passes unless its generator is replayed, so callers keep dropout out of checkpointed segments.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /**
     * {@code segment(x)}, recomputed in backward. Parameters the segment reads get their gradients from the
     * recomputation, whatever module tree they belong to (adapters installed on its layers included), so the node is
     * always recorded while grad mode is on.
     */
    public static Tensor apply(String op, UnaryOperator<Tensor> segment, Tensor x) {
        if (!GradMode.isEnabled()) return segment.apply(x);
        Tensor y;
        try (var off = GradMode.disable()) {
            y = segment.apply(x.detach());
        }
        // an input that always requires grad, so the node is kept even when x does not need a gradient
        Tensor anchor = Tensor.zeros(1).requiresGrad(true);
        return Tensor.record(op, y, g -> {
            Tensor xd = x.detach();
            if (x.requiresGrad()) xd.requiresGrad(true);
            Tensor again;
            try (var on = GradMode.enable()) {
                again = segment.apply(xd);
            }
            if (again.requiresGrad()) again.backward(g);
            if (x.requiresGrad() && xd.grad() != null) x.accumulateGrad(xd.grad());
        }, x, anchor);
    }
}
