package ai.tarka.inference;

import java.util.Random;

/**
 * Not a test: times one layer's decode attention (scores and value mix for every head) over an F32 and an F16
 * cache. Run after {@code ./mvnw -q -o test-compile -pl tarka-inference -am}, in tarka-inference:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:../tarka-kernels/target/classes
 * ai.tarka.inference.KvAttentionSpeed [heads headDim context]}
 */
public final class KvAttentionSpeed {
    private KvAttentionSpeed() {}

    public static void main(String[] args) {
        int heads = args.length > 0 ? Integer.parseInt(args[0]) : 12, d = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int ctx = args.length > 2 ? Integer.parseInt(args[2]) : 384, kvDim = heads * d;
        for (int round = 0; round < 2; round++) {
            for (KvPrecision precision : KvPrecision.values()) {
                KvCache c = new KvCache(precision, 1, ctx, kvDim);
                Random r = new Random(1);
                float[] k = new float[kvDim], v = new float[kvDim];
                for (int p = 0; p < ctx; p++) {
                    for (int i = 0; i < kvDim; i++) {
                        k[i] = r.nextFloat() - 0.5f;
                        v[i] = r.nextFloat() - 0.5f;
                    }
                    c.write(0, p, k, 0, v, 0);
                }
                float[] q = new float[d], scores = new float[ctx], out = new float[d];
                for (int i = 0; i < d; i++) q[i] = r.nextFloat();
                int warm = 2000, it = 3000;
                long t0 = 0;
                for (int w = 0; w < warm + it; w++) {
                    if (w == warm) t0 = System.nanoTime();
                    for (int h = 0; h < heads; h++) {
                        c.scores(0, h * d, d, q, 0, 0, ctx, 0.125f, scores);
                        c.mix(0, h * d, d, scores, 0, ctx, out, 0);
                    }
                }
                if (round == 1) {
                    System.out.printf("%s cache: %.1f us per layer (%d heads of %d, context %d)%n", precision,
                            (System.nanoTime() - t0) / 1e3 / it, heads, d, ctx);
                }
            }
        }
    }
}
