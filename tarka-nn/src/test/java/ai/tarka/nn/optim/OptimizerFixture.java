package ai.tarka.nn.optim;

import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.ParameterBuffer.Slot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random gradients written into a flat buffer, and copies of trainable slots in double for the references. */
final class OptimizerFixture {
    private OptimizerFixture() {}

    /** Fills every gradient (frozen slots too: the optimiser must ignore them) with N(0, scale²). */
    static void randomGrads(ParameterBuffer buf, Random r, double scale) {
        float[] g = buf.grads();
        for (int i = 0; i < g.length; i++) g[i] = (float) (r.nextGaussian() * scale);
    }

    static void randomValues(ParameterBuffer buf, Random r) {
        float[] v = buf.values();
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * 0.5);
    }

    static Map<String, double[]> trainable(ParameterBuffer buf, float[] src) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Slot s : buf.slots()) {
            if (!s.requiresGrad()) continue;
            double[] d = new double[s.numel()];
            for (int i = 0; i < d.length; i++) d[i] = src[s.offset() + i];
            out.put(s.name(), d);
        }
        return out;
    }

    /** Largest |flat − reference| over the trainable slots. */
    static double maxDiff(ParameterBuffer buf, Map<String, double[]> ref) {
        double worst = 0;
        for (var e : ref.entrySet()) {
            Slot s = buf.slot(e.getKey());
            for (int i = 0; i < s.numel(); i++) worst = Math.max(worst, Math.abs(buf.values()[s.offset() + i] - e.getValue()[i]));
        }
        return worst;
    }
}
