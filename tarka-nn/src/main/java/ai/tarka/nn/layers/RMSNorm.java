package ai.tarka.nn.layers;

import ai.tarka.engine.Norms;
import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Layer;
import ai.tarka.nn.Parameter;

/** Root-mean-square normalisation over the last dimension with a learned scale (ones). */
public final class RMSNorm extends Layer {
    private final int dim;
    private final float eps;
    private final Parameter weight;

    public RMSNorm(int dim, float eps) {
        if (dim <= 0 || !(eps > 0)) throw new IllegalArgumentException("RMSNorm: need dim > 0 and eps > 0, got " + dim + ", " + eps);
        this.dim = dim;
        this.eps = eps;
        this.weight = registerParameter("weight", Tensor.ones(dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != dim) {
            throw new ShapeException("RMSNorm", "input's last dimension must be " + dim, x.shape(), weight.shape());
        }
        return Norms.rmsNorm(x, weight.tensor(), eps);
    }

    public Parameter weight() {
        return weight;
    }

    public float eps() {
        return eps;
    }

    @Override
    protected String extraRepr() {
        return dim + ", eps=" + eps;
    }
}
