package ai.tarka.nn.layers;

import ai.tarka.engine.MatMul;
import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Init;
import ai.tarka.nn.Layer;
import ai.tarka.nn.Parameter;
import java.util.random.RandomGenerator;

/**
 * {@code y = x · Wᵀ + b} over the last dimension, with the weight stored {@code [out, in]} as in
 * PyTorch and Hugging Face checkpoints. Leading dimensions are folded into one GEMM.
 */
public final class Linear extends Layer {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private Replacement replacement;

    /**
     * Another computation of this layer's output, installed by adapters (LoRA) or quantised-weight storage (QLoRA)
     * so that models keep calling {@link #forward} unchanged. It receives the layer (for its weight and bias) and
     * the input as passed to {@link #forward}.
     */
    @FunctionalInterface
    public interface Replacement {
        Tensor forward(Linear layer, Tensor x);
    }

    /** Zero-initialised, for loading a checkpoint or initialising explicitly with {@link Init}. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: features must be positive, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
    }

    /** PyTorch's default init: weight and bias uniform in ±1/√in. */
    public Linear(int inFeatures, int outFeatures, boolean bias, RandomGenerator rng) {
        this(inFeatures, outFeatures, bias);
        Init.kaimingUniform(weight, Math.sqrt(5), rng);
        if (this.bias != null) {
            double bound = 1 / Math.sqrt(inFeatures);
            Init.uniform(this.bias, -bound, bound, rng);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != inFeatures) {
            throw new ShapeException("Linear", "input's last dimension must be in_features=" + inFeatures,
                    x.shape(), weight.shape());
        }
        if (replacement != null) return replacement.forward(this, x);
        return plainForward(x);
    }

    /** {@code x · Wᵀ + b} with the layer's own weight, whatever replacement is installed. */
    public Tensor plainForward(Tensor x) {
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = outFeatures;
        Tensor y = MatMul.linear(x.reshape(-1, inFeatures), weight.tensor(), bias == null ? null : bias.tensor());
        return y.reshape(outShape);
    }

    /** Installs (or, with null, removes) a replacement of {@link #forward}. */
    public void replaceForward(Replacement r) {
        this.replacement = r;
    }

    /** The installed replacement, or null. */
    public Replacement replacement() {
        return replacement;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in=" + inFeatures + ", out=" + outFeatures + ", bias=" + (bias != null);
    }
}
