package ai.tarka.kernels.gemm;

import java.util.Random;

/**
 * Not a test: times the SGEMM of a frozen weight with and without pre-packing, at 512 rows, for the shapes of the
 * 58M-parameter {@code tarka bench finetune} model: forward {@code x·Wᵀ} (a transposing pack per call) and input
 * gradient {@code ∂y·W}. Run after {@code ./mvnw -q -o test-compile -pl tarka-kernels -am}, in tarka-kernels:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes ai.tarka.kernels.gemm.PackedGemmSpeed}
 */
public final class PackedGemmSpeed {
    private PackedGemmSpeed() {}

    public static void main(String[] args) {
        JavaSgemm g = JavaSgemm.shared();
        int n = 512;
        int[][] shapes = {{512, 512}, {1376, 512}, {512, 1376}, {32000, 512}}; // {out, in}
        Random r = new Random(1);
        for (int rep = 0; rep < 3; rep++) {
            for (int[] s : shapes) {
                int out = s[0], in = s[1];
                float[] w = random(r, out * in), x = random(r, n * in), gy = random(r, n * out);
                float[] y = new float[n * out], gx = new float[n * in];
                PackedMatrix pf = g.pack(true, in, out, w, 0, in), pb = g.pack(false, out, in, w, 0, in);
                int it = out > 10000 ? 5 : 40;
                long[] t = new long[4];
                for (int k = 0; k < it; k++) {
                    long t0 = System.nanoTime();
                    g.sgemm(false, true, n, out, in, 1f, x, 0, in, w, 0, in, 0f, y, 0, out);
                    long t1 = System.nanoTime();
                    g.sgemm(false, n, 1f, x, 0, in, pf, 0f, y, 0, out);
                    long t2 = System.nanoTime();
                    g.sgemm(false, false, n, in, out, 1f, gy, 0, out, w, 0, in, 0f, gx, 0, in);
                    long t3 = System.nanoTime();
                    g.sgemm(false, n, 1f, gy, 0, out, pb, 0f, gx, 0, in);
                    long t4 = System.nanoTime();
                    t[0] += t1 - t0;
                    t[1] += t2 - t1;
                    t[2] += t3 - t2;
                    t[3] += t4 - t3;
                }
                if (rep == 2) {
                    System.out.printf("W [%d x %d], %d rows: x·Wᵀ %.3f -> %.3f ms packed, ∂y·W %.3f -> %.3f ms packed%n", out, in, n,
                            t[0] / 1e6 / it, t[1] / 1e6 / it, t[2] / 1e6 / it, t[3] / 1e6 / it);
                }
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() - 0.5f;
        return a;
    }
}
