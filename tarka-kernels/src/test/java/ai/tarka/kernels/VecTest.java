package ai.tarka.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VecTest {

    /** The halving order written out in scalars: lanes i and i + half, then again on the first half. */
    static float tree(float[] v, int from, int n) {
        float[] t = java.util.Arrays.copyOfRange(v, from, from + n);
        for (int half = n / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) t[i] = t[i] + t[i + half];
        }
        return t[0];
    }

    static double tree(double[] v, int from, int n) {
        double[] t = java.util.Arrays.copyOfRange(v, from, from + n);
        for (int half = n / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) t[i] = t[i] + t[i + half];
        }
        return t[0];
    }

    /**
     * Values of very different magnitudes make every summation order round differently; enough
     * calls that the JIT compiles the caller part-way (reduceLanes(ADD) switched from lane order to
     * a tree there), yet every result equals the one fixed order.
     */
    @Test
    void laneSumsFollowOneFixedOrderInEveryJitTier() {
        Random r = new Random(3);
        int l = Vec.F.length(), ld = Vec.D.length();
        float[] f = new float[64 * l];
        double[] d = new double[64 * ld];
        for (int i = 0; i < f.length; i++) f[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7)));
        for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian() * Math.pow(10, r.nextInt(15));
        int mismatches = 0;
        for (int call = 0; call < 20_000; call++) {
            int v = call % 64;
            if (Vec.sum(FloatVector.fromArray(Vec.F, f, v * l)) != tree(f, v * l, l)) mismatches++;
            if (Vec.sum(DoubleVector.fromArray(Vec.D, d, v * ld)) != tree(d, v * ld, ld)) mismatches++;
        }
        assertThat(mismatches).isZero();
    }
}
