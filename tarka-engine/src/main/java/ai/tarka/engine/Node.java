package ai.tarka.engine;

/**
 * One recorded operation in the autograd graph: which op produced a tensor, from which inputs, and
 * how to turn the gradient of its output into gradients of its inputs.
 */
public final class Node {

    /** Given the gradient of the op's output, accumulates gradients into the inputs that need them. */
    @FunctionalInterface
    public interface Backward {
        void apply(Tensor gradOutput);
    }

    final String op;
    final Tensor[] inputs;
    final Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    public String op() {
        return op;
    }

    public Tensor[] inputs() {
        return inputs.clone();
    }
}
