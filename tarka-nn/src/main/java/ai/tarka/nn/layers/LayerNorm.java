package ai.tarka.nn.layers;

import ai.tarka.engine.Norms;
import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Layer;
import ai.tarka.nn.Parameter;

/** Layer normalisation over the last dimension with learned scale (ones) and shift (zeros). */
public final class LayerNorm extends Layer {
    private final int dim;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(int dim, float eps) {
        if (dim <= 0 || !(eps > 0)) throw new IllegalArgumentException("LayerNorm: need dim > 0 and eps > 0, got " + dim + ", " + eps);
        this.dim = dim;
        this.eps = eps;
        this.weight = registerParameter("weight", Tensor.ones(dim));
        this.bias = registerParameter("bias", Tensor.zeros(dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != dim) {
            throw new ShapeException("LayerNorm", "input's last dimension must be " + dim, x.shape(), weight.shape());
        }
        return Norms.layerNorm(x, weight.tensor(), bias.tensor(), eps);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public float eps() {
        return eps;
    }

    @Override
    protected String extraRepr() {
        return dim + ", eps=" + eps;
    }
}
