package ai.tarka.serve.bench;

import ai.tarka.models.CausalLm;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.Models;
import ai.tarka.serve.kv.PagedKvCache;
import ai.tarka.serve.model.PagedLlama;
import ai.tarka.serve.model.StepBatch;
import java.util.Arrays;
import java.util.Random;

/** Min and median wall time of decode steps with 1 and 16 sequences at context 96 (robust to background load). */
public final class StepTimes {
    public static void main(String[] args) {
        int ctx = 96;
        CausalLm lm = Models.create(LlamaCheckpoints.llama2cConfig(288, 768, 6, 6, 6, 32000, 640, true), 1);
        PagedLlama model = new PagedLlama(lm);
        int bs = 16, blocksPer = 640 / bs, maxSeqs = 16;
        PagedKvCache cache = new PagedKvCache(6, maxSeqs * blocksPer, bs, 288);
        int[][] tables = new int[maxSeqs][blocksPer];
        for (int s = 0; s < maxSeqs; s++) for (int b = 0; b < blocksPer; b++) tables[s][b] = s * blocksPer + b;
        Random rnd = new Random(1);
        float[] logits = new float[maxSeqs * 32000];
        for (int round = 0; round < 3; round++) {
            double[] best = new double[2];
            int idx = 0;
            for (int seqs : new int[] {1, 16}) {
                int[] tokens = new int[seqs], positions = new int[seqs], seqOf = new int[seqs], rows = new int[seqs];
                for (int i = 0; i < seqs; i++) {
                    seqOf[i] = i;
                    rows[i] = i;
                    tokens[i] = rnd.nextInt(32000);
                    positions[i] = ctx;
                }
                StepBatch step = new StepBatch(seqs, tokens, positions, seqOf, tables, seqs, rows);
                int iters = seqs == 1 ? 200 : 60;
                double[] t = new double[iters];
                for (int it = 0; it < iters; it++) {
                    long a = System.nanoTime();
                    model.forward(step, cache, logits);
                    t[it] = (System.nanoTime() - a) / 1e6;
                }
                Arrays.sort(t);
                best[idx++] = t[0];
                System.out.printf("%2d seqs: min %.2f ms  p10 %.2f  median %.2f ms%n", seqs, t[0], t[iters / 10], t[iters / 2]);
            }
            System.out.printf("   => 16-seq step throughput / 1-seq (min times): %.2fx%n", 16 * best[0] / best[1]);
        }
    }
}
