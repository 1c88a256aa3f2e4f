package ai.tarka.nn;

import ai.tarka.engine.Tensor;

/**
 * A named trainable leaf tensor owned by a {@link Module}.
 *
 * <p>The tensor behind a parameter can be re-pointed once, when the model is flattened into a
 * {@link ParameterBuffer}: values move into one flat array and the parameter's tensor becomes a view
 * of it. Layers therefore read {@link #tensor()} at every forward call and never cache it.
 */
public final class Parameter {
    private Tensor tensor;
    private String name;
    private ParameterBuffer buffer;

    /** Wraps a leaf tensor (not copied) and marks it as requiring gradients. */
    public Parameter(String name, Tensor value) {
        if (value == null) throw new IllegalArgumentException("Parameter '" + name + "': value is null");
        if (!value.isLeaf()) {
            throw new IllegalArgumentException("Parameter '" + name + "': value must be a leaf tensor, got the output of "
                    + value.gradFn().op() + "; pass detach() or a fresh tensor");
        }
        this.name = name;
        this.tensor = value.requiresGrad(true).name(name);
    }

    /** The current value tensor (a view into the flat buffer once flattened). */
    public Tensor tensor() {
        return tensor;
    }

    /** The accumulated gradient, or null before backward reached this parameter (never null once flattened). */
    public Tensor grad() {
        return tensor.grad();
    }

    /**
     * The name: the local one given at creation, replaced by the fully qualified dotted name
     * (for example {@code blocks.0.attn.q_proj.weight}) when the model is flattened.
     */
    public String name() {
        return name;
    }

    public int[] shape() {
        return tensor.shape();
    }

    public int numel() {
        return tensor.numel();
    }

    public boolean requiresGrad() {
        return tensor.requiresGrad();
    }

    /** Freezes ({@code false}) or unfreezes this parameter; backward skips frozen parameters. */
    public Parameter requiresGrad(boolean on) {
        tensor.requiresGrad(on);
        return this;
    }

    /**
     * Replaces the value of a frozen parameter that is not in a flat buffer with another leaf tensor of the same
     * shape. Used where a layer computes from another copy of its weight (quantised storage for QLoRA), to drop the
     * fp32 values (for example with a zero-stride view that holds no storage), and to put real values back later.
     */
    public void replaceValue(Tensor value) {
        if (buffer != null) throw new IllegalStateException("Parameter '" + name + "': cannot replace the value of a flattened parameter");
        if (tensor.requiresGrad()) throw new IllegalStateException("Parameter '" + name + "': freeze it before replacing its value");
        if (!java.util.Arrays.equals(value.shape(), tensor.shape())) {
            throw new IllegalArgumentException("Parameter '" + name + "': replacement shape " + java.util.Arrays.toString(value.shape())
                    + " differs from " + java.util.Arrays.toString(tensor.shape()));
        }
        if (!value.isLeaf()) throw new IllegalArgumentException("Parameter '" + name + "': replacement must be a leaf tensor");
        this.tensor = value.requiresGrad(false).name(name);
    }

    /** The flat buffer this parameter lives in, or null when it still owns its own storage. */
    public ParameterBuffer buffer() {
        return buffer;
    }

    /** Re-points this parameter at a view of {@code owner}'s flat storage (called by the buffer only). */
    void bind(Tensor view, String qualifiedName, ParameterBuffer owner) {
        view.requiresGrad(tensor.requiresGrad()).name(qualifiedName);
        this.tensor = view;
        this.name = qualifiedName;
        this.buffer = owner;
    }

    @Override
    public String toString() {
        return "Parameter " + name + java.util.Arrays.toString(tensor.shape()) + (requiresGrad() ? "" : " frozen");
    }
}
