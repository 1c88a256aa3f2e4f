package ai.tarka.nn.optim;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.optim.AdamWKernel;
import ai.tarka.nn.Module;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.layers.Linear;
import java.util.Arrays;
import java.util.Random;

/**
 * Not a test: a throughput probe for the flat-buffer optimiser step and the clipping norm.
 * Run with the test classpath, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp <classes> ai.tarka.nn.optim.OptimizerThroughput [features]}.
 */
public final class OptimizerThroughput {
    private OptimizerThroughput() {}

    static final class Wide extends Module {
        Wide(int f) {
            registerModule("proj", new Linear(f, f, true));
        }
    }

    public static void main(String[] args) {
        int f = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        ParameterBuffer buf = ParameterBuffer.flatten(new Wide(f));
        Random r = new Random(1);
        for (int i = 0; i < buf.size(); i++) buf.grads()[i] = (float) r.nextGaussian();
        AdamW opt = AdamW.builder(buf).lr(1e-4).weightDecay(0.1).build();
        float[] p = buf.values().clone(), m = new float[buf.size()], v = new float[buf.size()];
        int reps = 30;
        double[] step = new double[reps], scalar = new double[reps], norm = new double[reps];
        for (int k = 0; k < reps; k++) {
            long t0 = System.nanoTime();
            opt.step();
            long t1 = System.nanoTime();
            AdamWKernel.updateScalar(p, 0, buf.grads(), 0, m, v, 0, p.length, 0.9f, 0.999f, 1e-8f, 1e-4f, 1f, 1f);
            long t2 = System.nanoTime();
            GradClip.globalNorm(buf);
            long t3 = System.nanoTime();
            step[k] = (t1 - t0) / 1e6;
            scalar[k] = (t2 - t1) / 1e6;
            norm[k] = (t3 - t2) / 1e6;
        }
        double n = buf.size();
        System.out.printf("%d floats, %s, %d pool threads%n", buf.size(), Vec.describe(), ComputePool.shared().threads());
        report("AdamW.step (vector, pool)", median(step), n, 28);
        report("AdamW scalar kernel, 1 thread", median(scalar), n, 28);
        report("GradClip.globalNorm (double)", median(norm), n, 4);
    }

    private static void report(String what, double ms, double n, int bytesPerFloat) {
        System.out.printf("%-32s median %8.2f ms  %6.2f ns/param  %6.1f GB/s%n", what, ms, ms * 1e6 / n, n * bytesPerFloat / (ms * 1e6));
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
