package ai.tarka.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.TestOps;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Needs {@code Indexing.embedding}: runs after the engine ops are merged. */
class EmbeddingLayerTest {

    @Test
    void forwardGathersRowsAndBackwardScatterAddsIntoTheFlatBuffer() {
        Embedding e = new Embedding(11, 5, 1.0, new SplittableRandom(4));
        ParameterBuffer buf = ParameterBuffer.flatten(e);
        int[] ids = {3, 0, 10, 3, 7, 3};
        Tensor y = e.forward(ids, 2, 3);
        assertThat(y.shape()).containsExactly(2, 3, 5);
        float[] w = e.weight().tensor().toArray();
        float[] got = y.toArray();
        for (int t = 0; t < ids.length; t++) {
            for (int c = 0; c < 5; c++) assertThat(got[t * 5 + c]).isEqualTo(w[ids[t] * 5 + c]);
        }
        float[] g = new float[30];
        for (int i = 0; i < g.length; i++) g[i] = i + 1;
        TestOps.dot(y, g).backward();
        float[] want = new float[55];
        for (int t = 0; t < ids.length; t++) {
            for (int c = 0; c < 5; c++) want[ids[t] * 5 + c] += g[t * 5 + c];
        }
        assertThat(buf.grads()).containsExactly(want);
    }
}
