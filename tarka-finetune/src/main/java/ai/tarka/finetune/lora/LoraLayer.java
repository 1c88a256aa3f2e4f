package ai.tarka.finetune.lora;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.Init;
import ai.tarka.nn.Module;
import ai.tarka.nn.Parameter;
import ai.tarka.nn.layers.Dropout;
import ai.tarka.nn.layers.Linear;
import java.util.SplittableRandom;

/**
 * The adapter of one linear layer, installed as its {@link Linear.Replacement}:
 * {@code y = base(x) + s · B(A(dropout(x)))} with {@code A [r, in]}, {@code B [out, r]} and {@code s} the scaling.
 * With DoRA the output is rescaled per output feature by a trained magnitude {@code m} over the (detached) row norm
 * of {@code W + s·B·A}, as PEFT computes it: {@code y = base(x) + (m/‖W + sBA‖ − 1)·x·Wᵀ + (m/‖W + sBA‖)·s·B(A(x))}.
 */
public final class LoraLayer extends Module implements Linear.Replacement {
    private final Linear loraA;
    private final Linear loraB;
    private final Dropout dropout;
    private final Parameter magnitude;
    private final double scaling;
    private final BaseWeight base;

    LoraLayer(Linear target, LoraConfig config, BaseWeight base, SplittableRandom rng) {
        this.base = base;
        this.scaling = config.scaling();
        loraA = registerModule("lora_A", new Linear(target.inFeatures(), config.r(), false));
        loraB = registerModule("lora_B", new Linear(config.r(), target.outFeatures(), false));
        switch (config.initLoraWeights()) {
            case "gaussian" -> Init.normal(loraA.weight(), 0, 1.0 / config.r(), rng);
            default -> Init.kaimingUniform(loraA.weight(), Math.sqrt(5), rng);
        }
        if (config.initLoraWeights().equals("false")) Init.kaimingUniform(loraB.weight(), Math.sqrt(5), rng);
        dropout = registerModule("lora_dropout", new Dropout((float) config.loraDropout(), rng.split()));
        if (config.useDora()) {
            magnitude = registerParameter("lora_magnitude_vector", rowNorms(target, base.dense(target), false));
        } else {
            magnitude = null;
        }
    }

    /** {@code ‖W + s·B·A‖} per output row, outside the graph. */
    private Tensor rowNorms(Linear target, Tensor w, boolean withLora) {
        Tensor full = withLora ? w.add(loraB.weight().tensor().detach().matmul(loraA.weight().tensor().detach()).mul((float) scaling)) : w;
        Tensor n = full.mul(full).sum(1, false).sqrt();
        return Tensor.of(n.toArray(), n.shape());
    }

    @Override
    public Tensor forward(Linear layer, Tensor x) {
        Tensor xd = dropout.forward(x);
        if (magnitude == null && xd == x && !layer.weight().requiresGrad()) {
            Tensor y = LoraProduct.apply(base, layer, x, loraA.weight().tensor(), loraB.weight().tensor(), (float) scaling);
            return layer.bias() == null ? y : y.add(layer.bias().tensor());
        }
        // scaled on the rank-r side: a [N, r] temporary instead of another [N, out] one
        Tensor update = loraB.forward(loraA.forward(xd).mul((float) scaling));
        Tensor product = base.matmul(layer, x);
        Tensor bias = layer.bias() == null ? null : layer.bias().tensor();
        Tensor y;
        if (magnitude == null) {
            y = product.add(update);
        } else {
            Tensor scale = magnitude.tensor().div(rowNorms(layer, base.dense(layer), true));   // [out]
            Tensor baseTerm = xd == x ? product : base.matmul(layer, xd);
            y = product.add(scale.add(-1f).mul(baseTerm)).add(scale.mul(update));
        }
        return bias == null ? y : y.add(bias);
    }

    public Linear loraA() {
        return loraA;
    }

    public Linear loraB() {
        return loraB;
    }

    /** The DoRA magnitude, or null for plain LoRA. */
    public Parameter magnitude() {
        return magnitude;
    }

    public double scaling() {
        return scaling;
    }

    public BaseWeight base() {
        return base;
    }

    /** The merged weight {@code W + s·B·A} (DoRA: rescaled row-wise to the magnitude). */
    Tensor mergedWeight(Linear layer) {
        Tensor w = base.dense(layer);
        Tensor merged = w.add(loraB.weight().tensor().detach().matmul(loraA.weight().tensor().detach()).mul((float) scaling));
        if (magnitude != null) {
            Tensor scale = magnitude.tensor().detach().div(rowNorms(layer, w, true));
            merged = merged.mul(scale.unsqueeze(1));
        }
        return merged.contiguous();
    }
}
