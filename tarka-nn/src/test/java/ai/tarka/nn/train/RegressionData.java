package ai.tarka.nn.train;

import ai.tarka.engine.Tensor;
import ai.tarka.nn.Module;
import ai.tarka.nn.Parameter;
import java.util.Random;

/** A linear model {@code w} and tokens {@code (x_t, y_t)} with a mask, for accumulation tests. */
final class RegressionData {
    final float[][] x;
    final float[] y;
    final boolean[] mask;

    RegressionData(int tokens, int k, long seed, int... masked) {
        Random r = new Random(seed);
        x = new float[tokens][k];
        y = new float[tokens];
        mask = new boolean[tokens];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < k; i++) x[t][i] = (float) r.nextGaussian();
            y[t] = (float) r.nextGaussian();
            mask[t] = true;
        }
        for (int t : masked) mask[t] = false;
    }

    int count(int from, int to) {
        int n = 0;
        for (int t = from; t < to; t++) if (mask[t]) n++;
        return n;
    }

    static final class Model extends Module {
        final Parameter w;
        final Parameter unused;

        Model(int k, long seed) {
            w = registerParameter("w", Tensor.randn(new Random(seed), 0.5f, k));
            unused = registerParameter("unused", Tensor.zeros(2, 3));
        }
    }
}
