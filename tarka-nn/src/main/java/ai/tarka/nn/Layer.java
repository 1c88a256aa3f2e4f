package ai.tarka.nn;

import ai.tarka.engine.Tensor;

/** A module that maps one tensor to one tensor, so it can be chained in a {@link ai.tarka.nn.layers.Sequential}. */
public abstract class Layer extends Module {
    public abstract Tensor forward(Tensor x);
}
