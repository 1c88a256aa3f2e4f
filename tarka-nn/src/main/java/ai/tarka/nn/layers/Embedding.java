package ai.tarka.nn.layers;

import ai.tarka.engine.Indexing;
import ai.tarka.engine.Shapes;
import ai.tarka.engine.ShapeException;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Init;
import ai.tarka.nn.Module;
import ai.tarka.nn.Parameter;
import java.util.random.RandomGenerator;

/** A lookup table {@code [V, C]}: token ids of any shape become vectors of shape {@code idsShape + [C]}. */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int dim;
    private final Parameter weight;

    /** Zero-initialised, for loading a checkpoint or initialising explicitly with {@link Init}. */
    public Embedding(int numEmbeddings, int dim) {
        if (numEmbeddings <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got V=" + numEmbeddings + ", C=" + dim);
        }
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
        this.weight = registerParameter("weight", Tensor.zeros(numEmbeddings, dim));
    }

    /** Normal init with the given standard deviation (PyTorch uses 1, GPT-2 0.02). */
    public Embedding(int numEmbeddings, int dim, double std, RandomGenerator rng) {
        this(numEmbeddings, dim);
        Init.normal(weight, 0, std, rng);
    }

    /** Rows of the table for {@code ids}, which hold {@code idsShape} in row-major order. */
    public Tensor forward(int[] ids, int... idsShape) {
        if (Shapes.numel("Embedding", idsShape) != ids.length) {
            throw new ShapeException("Embedding", ids.length + " ids do not fill shape", idsShape);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= numEmbeddings) {
                throw new ShapeException("Embedding", "id " + ids[i] + " at position " + i + " outside [0, "
                        + numEmbeddings + ")", idsShape, weight.shape());
            }
        }
        return Indexing.embedding(weight.tensor(), ids, idsShape);
    }

    public Parameter weight() {
        return weight;
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int dim() {
        return dim;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + dim;
    }
}
