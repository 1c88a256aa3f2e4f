package ai.tarka.serve.bench;

import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.RandomWeights;
import ai.tarka.inference.WeightMatrix;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.serve.kv.PagedKvCache;
import ai.tarka.serve.model.PagedLlama;
import ai.tarka.serve.model.QuantizedWeights;
import ai.tarka.serve.model.StepBatch;
import java.util.Random;

/**
 * Manual profiling harness (not a test): a stories15M-size decode step of {@code seqs} sequences with F32 packed
 * projections and with Q8_0 ones used in place, alternated in one run; then the per-row cost of a Q8_0 projection
 * just under (integer kernels) and at (decoded tiles + SGEMM) the 16-row switch.
 */
public final class QuantStepProfile {
    public static void main(String[] args) {
        int vocab = 32000;
        ModelConfig cfg = LlamaCheckpoints.llama2cConfig(288, 768, 6, 6, 6, vocab, 640, true);
        PagedLlama f32 = new PagedLlama(Models.create(cfg, 1));
        LlamaWeights q8w = RandomWeights.llama(cfg, 1).convert(QuantFormat.Q8_0);
        PagedLlama q8 = new PagedLlama(q8w);
        System.out.printf("projection heap bytes: f32 %d, q8 %d%n", f32.projectionHeapBytes(), q8.projectionHeapBytes());
        for (int seqs : new int[] {1, 16}) {
            for (int round = 0; round < 4; round++) {
                System.out.printf("seqs %2d: f32 %.2f ms, q8_0 %.2f ms%n", seqs, step(f32, seqs), step(q8, seqs));
            }
        }
        Random r = new Random(1);
        for (WeightMatrix m : new WeightMatrix[] {q8w.layers()[0].gate(), q8w.output()}) {
            QuantizedWeights w = new QuantizedWeights(m, new ai.tarka.inference.Projection(ai.tarka.kernels.ComputePool.shared().threads()));
            ai.tarka.serve.model.PanelWeights p = ai.tarka.serve.model.PanelWeights.pack(m.toFloats(), m.rows(), m.cols());
            float[] x = new float[16 * m.cols()], out = new float[16 * m.rows()];
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
            for (int n : new int[] {1, 4, 16}) {
                for (int round = 0; round < 3; round++) {
                    double a = time(p, x, n, out), b = time(w, x, n, out);
                    System.out.printf("%s [%dx%d] n=%d: f32 panels %.3f ms, q8_0 in place %.3f ms (%.2fx)%n",
                            m.name(), m.rows(), m.cols(), n, a, b, b / a);
                }
            }
        }
        for (WeightMatrix m : new WeightMatrix[] {q8w.layers()[0].gate(), q8w.layers()[0].down(), q8w.output()}) {
            QuantizedWeights w = new QuantizedWeights(m, new ai.tarka.inference.Projection(ai.tarka.kernels.ComputePool.shared().threads()));
            float[] x = new float[16 * m.cols()], out = new float[16 * m.rows()];
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
            for (int round = 0; round < 4; round++) {
                double a = time(w, x, 15, out), b = time(w, x, 16, out);
                System.out.printf("%s [%dx%d]: per row 15 rows (integer) %.1f us, 16 rows (tiles+sgemm) %.1f us%n",
                        m.name(), m.rows(), m.cols(), a / 15 * 1e3, b / 16 * 1e3);
            }
        }
    }

    static double time(ai.tarka.serve.model.ProjectionWeights w, float[] x, int n, float[] out) {
        int iters = 40;
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) w.multiply(x, n, out);
        return (System.nanoTime() - t0) / 1e6 / iters;
    }

    static double step(PagedLlama model, int seqs) {
        int bs = 16, blocksPer = 640 / bs, ctx = 160;
        PagedKvCache cache = new PagedKvCache(6, seqs * blocksPer, bs, 288);
        int[][] tables = new int[seqs][blocksPer];
        for (int s = 0; s < seqs; s++) for (int b = 0; b < blocksPer; b++) tables[s][b] = s * blocksPer + b;
        float[] logits = new float[seqs * model.vocabSize()];
        int[] tokens = new int[seqs], positions = new int[seqs], seqOf = new int[seqs], rows = new int[seqs];
        for (int i = 0; i < seqs; i++) {
            seqOf[i] = i;
            rows[i] = i;
            tokens[i] = 7 * i + 3;
            positions[i] = ctx;
        }
        StepBatch step = new StepBatch(seqs, tokens, positions, seqOf, tables, seqs, rows);
        int iters = 30;
        model.forward(step, cache, logits);
        long t0 = System.nanoTime();
        for (int it = 0; it < iters; it++) model.forward(step, cache, logits);
        return (System.nanoTime() - t0) / 1e6 / iters;
    }
}
