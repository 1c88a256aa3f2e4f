package ai.tarka.serve.bench;

import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.Gemms;
import ai.tarka.models.CausalLm;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.Models;
import ai.tarka.serve.engine.SamplingOptions;
import ai.tarka.serve.engine.TokenSampler;
import ai.tarka.serve.kv.PagedKvCache;
import ai.tarka.serve.model.PagedLlama;
import ai.tarka.serve.model.PanelMatmul;
import ai.tarka.serve.model.PanelWeights;
import ai.tarka.serve.model.StepBatch;
import java.util.Random;

/** Manual profiling harness (not a test): times a 16-sequence decode step of a stories15M-size model and its parts. */
public final class DecodeStepProfile {
    public static void main(String[] args) {
        int seqs = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int ctx = 160;
        CausalLm lm = Models.create(LlamaCheckpoints.llama2cConfig(288, 768, 6, 6, 6, 32000, 640, true), 1);
        PagedLlama model = new PagedLlama(lm);
        int bs = 16, blocksPer = 640 / bs;
        PagedKvCache cache = new PagedKvCache(6, seqs * blocksPer, bs, 288);
        int[][] tables = new int[seqs][blocksPer];
        for (int s = 0; s < seqs; s++) for (int b = 0; b < blocksPer; b++) tables[s][b] = s * blocksPer + b;
        Random rnd = new Random(1);
        float[] logits = new float[seqs * 32000];
        int[] tokens = new int[seqs], positions = new int[seqs], seqOf = new int[seqs], rows = new int[seqs];
        for (int i = 0; i < seqs; i++) {
            seqOf[i] = i;
            rows[i] = i;
            tokens[i] = rnd.nextInt(32000);
            positions[i] = ctx;
        }
        StepBatch step = new StepBatch(seqs, tokens, positions, seqOf, tables, seqs, rows);
        TokenSampler[] samplers = new TokenSampler[seqs];
        SamplingOptions opts = SamplingOptions.greedy(128);
        for (int i = 0; i < seqs; i++) samplers[i] = new TokenSampler(opts, 32000, 2, new int[] {1, 2, 3});
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            int iters = 50;
            for (int it = 0; it < iters; it++) model.forward(step, cache, logits);
            long t1 = System.nanoTime();
            for (int it = 0; it < iters; it++) for (int i = 0; i < seqs; i++) samplers[i].sample(logits, i * 32000, 3);
            long t2 = System.nanoTime();
            System.out.printf("step %d seqs: forward %.2f ms, sampling(all seqs) %.2f ms%n", seqs,
                    (t1 - t0) / 1e6 / iters, (t2 - t1) / 1e6 / iters);
        }
        Gemm gemm = Gemms.get();
        int[][] shapes = {{seqs, 288, 288}, {seqs, 288, 768}, {seqs, 768, 288}, {seqs, 288, 32000}, {256, 288, 768}, {256, 768, 288}};
        for (int round = 0; round < (args.length > 1 ? 3 : 0); round++) {
            for (int[] sh : shapes) {
                int n = sh[0], k = sh[1], m = sh[2];
                float[] x = new float[n * k], w = new float[m * k], out = new float[n * m];
                for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
                for (int i = 0; i < w.length; i++) w[i] = rnd.nextFloat();
                int iters = Math.max(5, (int) (2e8 / ((long) n * k * m)));
                long a = System.nanoTime();
                PanelWeights pw = PanelWeights.pack(w, m, k);
                a = System.nanoTime();
                for (int it = 0; it < iters; it++) PanelMatmul.multiply(x, n, pw, out);
                long b = System.nanoTime();
                for (int it = 0; it < iters; it++) gemm.sgemm(false, true, n, m, k, 1f, x, 0, k, w, 0, k, 0f, out, 0, m);
                long c = System.nanoTime();
                double fl = 2.0 * n * k * m * iters;
                System.out.printf("  %dx%dx%d: panel %.3f ms (%.1f GF/s)  gemm %.3f ms (%.1f GF/s)%n", n, k, m,
                        (b - a) / 1e6 / iters, fl / (b - a), (c - b) / 1e6 / iters, fl / (c - b));
            }
        }
    }
}
