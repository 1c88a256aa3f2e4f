package ai.tarka.nn.layers;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.Layer;
import java.util.ArrayList;
import java.util.List;

/** Layers applied in order, registered under the names {@code 0, 1, 2, ...}. */
public final class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    public Sequential add(Layer layer) {
        layers.add(registerModule(String.valueOf(layers.size()), layer));
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Layer l : layers) y = l.forward(y);
        return y;
    }

    public Layer get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }
}
