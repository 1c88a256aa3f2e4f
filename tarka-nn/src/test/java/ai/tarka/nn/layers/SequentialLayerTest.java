package ai.tarka.nn.layers;

import static ai.tarka.nn.layers.LayerReference.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.tarka.engine.Tensor;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Needs matmul, add and layerNorm: runs after the engine ops are merged. */
class SequentialLayerTest {

    @Test
    void chainsItsLayersInOrder() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential s = new Sequential(new Linear(6, 10, true, rng), new LayerNorm(10, 1e-5f), new Linear(10, 3, false, rng));
        assertThat(s.namedParameters().keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias", "2.weight");
        float[] xv = gaussian(new Random(2), 4 * 6);
        float[] y = s.forward(Tensor.of(xv.clone(), 4, 6)).toArray();
        Linear l0 = (Linear) s.get(0), l2 = (Linear) s.get(2);
        LayerNorm ln = (LayerNorm) s.get(1);
        float[] h = LayerReference.linear(xv, l0.weight().tensor().toArray(), l0.bias().tensor().toArray(), 4, 6, 10);
        h = LayerReference.layerNorm(h, ln.weight().tensor().toArray(), ln.bias().tensor().toArray(), 4, 10, 1e-5f);
        float[] want = LayerReference.linear(h, l2.weight().tensor().toArray(), null, 4, 10, 3);
        for (int i = 0; i < want.length; i++) assertThat(y[i]).isCloseTo(want[i], offset(1e-4f));
    }
}
