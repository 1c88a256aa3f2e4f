package ai.tarka.kernels.attention;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.kernels.Vec;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class VectorExpTest {

    @Test
    void matchesMathExpToAFewUlpOverTheSoftmaxRange() {
        Assumptions.assumeTrue(Vec.ENABLED, "vector paths disabled");
        Random rng = new Random(8);
        float[] x = new float[Vec.L], y = new float[Vec.L];
        double worst = 0;
        for (int it = 0; it < 20_000; it++) {
            for (int i = 0; i < x.length; i++) x[i] = (float) (-87 + 88 * rng.nextDouble());
            VectorExp.exp(FloatVector.fromArray(Vec.F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < x.length; i++) {
                double e = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - e) / e);
            }
        }
        assertThat(worst).isLessThan(5e-7); // float epsilon is 1.2e-7: within about 4 ulp
    }

    @Test
    void hiddenScoresGiveExactlyZeroAndZeroGivesOne() {
        Assumptions.assumeTrue(Vec.ENABLED, "vector paths disabled");
        float[] x = new float[Vec.L], y = new float[Vec.L];
        float[] probes = {Float.NEGATIVE_INFINITY, -1000f, -87.5f, 0f};
        for (int i = 0; i < x.length; i++) x[i] = probes[i % probes.length];
        VectorExp.exp(FloatVector.fromArray(Vec.F, x, 0)).intoArray(y, 0);
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).as("exp(" + x[i] + ")").isEqualTo(x[i] == 0f ? 1f : 0f);
        }
    }
}
