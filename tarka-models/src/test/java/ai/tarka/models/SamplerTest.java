package ai.tarka.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void greedyTopKOneAndTinyTopPAllPickTheArgmax() {
        Random rng = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int v = 5 + rng.nextInt(60);
            float[] logits = new float[v + 3];
            for (int i = 0; i < logits.length; i++) logits[i] = (float) rng.nextGaussian() * 3;
            int want = Sampler.argmax(logits, 3, v);
            assertThat(new Sampler(SamplingParams.greedy()).sample(logits, 3, v)).isEqualTo(want);
            assertThat(new Sampler(new SamplingParams(1.5, 1, 1, trial)).sample(logits, 3, v)).isEqualTo(want);
            assertThat(new Sampler(new SamplingParams(0.7, 0, 1e-6, trial)).sample(logits, 3, v)).isEqualTo(want);
        }
    }

    @Test
    void drawsFollowTheSoftmaxAndTheFilters() {
        float[] logits = {0, (float) Math.log(3), (float) Math.log(6), Float.NEGATIVE_INFINITY};
        int[] counts = new int[4];
        Sampler s = new Sampler(new SamplingParams(1, 0, 1, 42));
        int n = 20_000;
        for (int i = 0; i < n; i++) counts[s.sample(logits, 0, 4)]++;
        assertThat(counts[0] / (double) n).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.01));
        assertThat(counts[1] / (double) n).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.015));
        assertThat(counts[3]).isZero();
        // top-k 2 keeps ids 2 and 1 (0.6 : 0.3); top-p 0.85 keeps the same two
        for (SamplingParams p : new SamplingParams[] {new SamplingParams(1, 2, 1, 7), new SamplingParams(1, 0, 0.85, 7)}) {
            int[] c = new int[4];
            Sampler f = new Sampler(p);
            for (int i = 0; i < n; i++) c[f.sample(logits, 0, 4)]++;
            assertThat(c[0]).as("%s", p).isZero();
            assertThat(c[1] / (double) n).as("%s", p).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(0.015));
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new SamplingParams(-1, 0, 1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplingParams(1, -2, 1, 0)).hasMessageContaining("top-k");
        assertThatThrownBy(() -> new SamplingParams(1, 0, 0, 0)).hasMessageContaining("top-p");
    }
}
