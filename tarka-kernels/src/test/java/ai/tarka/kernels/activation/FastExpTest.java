package ai.tarka.kernels.activation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.kernels.Vec;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FastExpTest {

    private static float[] vexp(float[] x) {
        float[] out = new float[x.length];
        int i = 0;
        for (; i < Vec.F.loopBound(x.length); i += Vec.L) FastExp.exp(FloatVector.fromArray(Vec.F, x, i)).intoArray(out, i);
        for (; i < x.length; i++) out[i] = FastExp.exp(x[i]);
        return out;
    }

    @Test
    void matchesMathExpWithinAnUlpOverTheWholeRange() {
        Assumptions.assumeTrue(Vec.L > 1, "needs a vector species");
        Random rng = new Random(11);
        float[] x = new float[Vec.L * 5000];
        for (int i = 0; i < x.length; i++) x[i] = FastExp.MIN_INPUT + (FastExp.MAX_INPUT - FastExp.MIN_INPUT) * rng.nextFloat();
        x[0] = 0f;
        x[1] = -0f;
        x[2] = 1f;
        x[3] = FastExp.MIN_INPUT;
        float[] y = vexp(x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double ref = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - ref) / ref);
        }
        assertThat(worst).isLessThan(2e-7);
        assertThat(y[0]).isEqualTo(1f);
        assertThat(y[2]).isCloseTo((float) Math.E, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void saturatesOutsideTheRangeAndKeepsNaN() {
        Assumptions.assumeTrue(Vec.L > 1, "needs a vector species");
        float[] x = new float[Vec.L * 2];
        float[] specials = {Float.NEGATIVE_INFINITY, -1000f, -88f, Float.NaN, 89f, Float.POSITIVE_INFINITY, 1e30f, -1e30f};
        for (int i = 0; i < x.length; i++) x[i] = specials[i % specials.length];
        float[] y = vexp(x);
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (Float.isNaN(v)) assertThat(y[i]).isNaN();
            else if (v < FastExp.MIN_INPUT) assertThat(y[i]).isEqualTo(0f);
            else if (v > FastExp.MAX_INPUT) assertThat(y[i]).isEqualTo(Float.POSITIVE_INFINITY);
        }
    }
}
