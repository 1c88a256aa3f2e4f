package ai.tarka.nn.layers;

import ai.tarka.engine.Activations;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.Layer;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout while training; the identity in eval mode or with p = 0 (then no op is
 * recorded at all). The generator is the layer's own, so masks are reproducible for a fixed seed.
 */
public final class Dropout extends Layer {
    private final float p;
    private final RandomGenerator rng;

    public Dropout(float p, RandomGenerator rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.rng = rng;
    }

    public Dropout(float p, long seed) {
        this(p, new SplittableRandom(seed));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (p == 0f || !isTraining()) return x;
        return Activations.dropout(x, p, true, rng);
    }

    public float p() {
        return p;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
