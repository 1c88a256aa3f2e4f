package ai.tarka.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Needs {@code Activations.dropout}: runs after the engine ops are merged. */
class DropoutLayerTest {

    @Test
    void trainingModeZeroesAboutPAndScalesSurvivorsReproducibly() {
        Tensor x = Tensor.ones(100, 101);
        float[] a = new Dropout(0.25f, 42).forward(x).toArray();
        float[] b = new Dropout(0.25f, 42).forward(x).toArray();
        assertThat(a).containsExactly(b);
        int zeros = 0;
        for (float v : a) {
            if (v == 0f) zeros++;
            else assertThat(v).isEqualTo(1f / 0.75f);
        }
        double frac = zeros / (double) a.length;
        // 10100 Bernoulli(0.25) draws: standard deviation 0.0043, so ±0.03 is about 7 sigma
        assertThat(frac).isBetween(0.22, 0.28);
    }
}
