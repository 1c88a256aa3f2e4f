package ai.tarka.cli.bench;

import ai.tarka.cli.progress.Progress;
import ai.tarka.engine.Attention;
import ai.tarka.engine.AttentionMask;
import ai.tarka.engine.Indexing;
import ai.tarka.engine.Norms;
import ai.tarka.engine.Tensor;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.Gemms;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tarka bench block}: forward + backward of one GPT-2-style transformer block through the
 * engine (autograd, fused attention, norms, GELU, GEMMs) with each GEMM backend. An isolated GEMM
 * benchmark misses how a backend's own threads share the cores with Tarka's compute pool, which a
 * real training step exposes; this is the figure the default backend is chosen by.
 */
@Command(name = "block", mixinStandardHelpOptions = true,
        description = "Transformer block forward + backward through the engine, per GEMM backend.")
public final class BlockBench implements Callable<Integer> {

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int batch;

    @Option(names = "--seq", description = "Sequence length (default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int seq;

    @Option(names = "--dim", description = "Model width C (default: ${DEFAULT-VALUE}).", defaultValue = "384")
    int dim;

    @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).", defaultValue = "6")
    int heads;

    @Option(names = "--runs", description = "Timed runs per backend, median reported (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int runs;

    @Option(names = "--warmup", description = "Warm-up runs per backend (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int warmup;

    @Option(names = "--backends", split = ",", description = "GEMM backends, measured in this order "
            + "(default: ${DEFAULT-VALUE}; java first, so OpenBLAS's threads do not exist yet while it runs).",
            defaultValue = "java,openblas")
    List<String> backends;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON records.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (dim % heads != 0) throw new IllegalArgumentException("bench block: --dim " + dim + " is not a multiple of --heads " + heads);
        if (runs < 1 || warmup < 0) throw new IllegalArgumentException("bench block: --runs must be >= 1 and --warmup >= 0");
        BenchReport report = new BenchReport("GPT-2-style block, forward + backward through the engine, per GEMM backend",
                "backend", "median ms", "min ms", "tokens/s", "vs first");
        report.context("shape", "B=" + batch + " T=" + seq + " C=" + dim + " H=" + heads + " (MLP 4C, causal fused attention)")
                .context("threads", ComputePool.shared().threads())
                .context("vector", Vec.describe())
                .context("runs", runs + " timed (median) after " + warmup + " warm-up, backends one after another");
        Gemm previous = Gemms.get();
        double first = 0;
        String firstName = null;
        try (Progress progress = Progress.start("bench block", (long) backends.size() * (runs + warmup), "runs")) {
            for (String name : backends) {
                Gemms.set(Gemms.byName(name));
                progress.status(name);
                Block block = new Block(batch, seq, dim, heads, 7);
                double[] ms = new double[runs];
                for (int i = -warmup; i < runs; i++) {
                    double t = block.step();
                    if (i >= 0) ms[i] = t;
                    progress.step(1);
                }
                Arrays.sort(ms);
                double median = ms[runs / 2];
                if (firstName == null) {
                    firstName = name;
                    first = median;
                }
                report.row(name, fmt(median), fmt(ms[0]), String.format(Locale.ROOT, "%.0f", batch * seq / (median / 1000)),
                        String.format(Locale.ROOT, "%.2fx", first / median));
                report.record(name.equals(firstName) ? BenchRecord.of("block.fwd_bwd." + name, median, "ms")
                        : BenchRecord.compared("block.fwd_bwd." + name, median, "ms", "block.fwd_bwd." + firstName, first));
            }
        } finally {
            Gemms.set(previous);
        }
        report.print(System.out);
        if (json != null) {
            report.writeJson(json);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** One pre-norm block: x + attn(ln1(x)), then + mlp(ln2(.)); weights laid out as in Hugging Face GPT-2. */
    private static final class Block {
        final int b, t, c, h;
        final Tensor x, ln1w, ln1b, ln2w, ln2b, wqkv, wo, w1, w2;
        final Tensor[] params;

        Block(int b, int t, int c, int h, long seed) {
            this.b = b;
            this.t = t;
            this.c = c;
            this.h = h;
            Random r = new Random(seed);
            x = Tensor.randn(r, 1f, b, t, c).requiresGrad(true);
            ln1w = Tensor.ones(c).requiresGrad(true);
            ln1b = Tensor.zeros(c).requiresGrad(true);
            ln2w = Tensor.ones(c).requiresGrad(true);
            ln2b = Tensor.zeros(c).requiresGrad(true);
            wqkv = Tensor.randn(r, 0.02f, 3 * c, c).requiresGrad(true);
            wo = Tensor.randn(r, 0.02f, c, c).requiresGrad(true);
            w1 = Tensor.randn(r, 0.02f, 4 * c, c).requiresGrad(true);
            w2 = Tensor.randn(r, 0.02f, c, 4 * c).requiresGrad(true);
            params = new Tensor[] {x, ln1w, ln1b, ln2w, ln2b, wqkv, wo, w1, w2};
        }

        /** One forward + backward; returns milliseconds. */
        double step() {
            for (Tensor p : params) p.setGrad(null);
            long t0 = System.nanoTime();
            int d = c / h;
            Tensor qkv = Norms.layerNorm(x, ln1w, ln1b, 1e-5f).matmul(wqkv.t());      // [B,T,3C]
            Tensor[] parts = Indexing.split(qkv, 2, c, c, c);
            Tensor q = heads(parts[0], d), k = heads(parts[1], d), v = heads(parts[2], d); // [B,H,T,D]
            Tensor att = Attention.scaledDotProduct(q, k, v, AttentionMask.causal());
            Tensor x1 = x.add(att.transpose(1, 2).reshape(b, t, c).matmul(wo.t()));
            Tensor mlp = Norms.layerNorm(x1, ln2w, ln2b, 1e-5f).matmul(w1.t()).gelu().matmul(w2.t());
            x1.add(mlp).sum().backward();
            return (System.nanoTime() - t0) / 1e6;
        }

        private Tensor heads(Tensor p, int d) {
            return p.reshape(b, t, h, d).transpose(1, 2).contiguous();
        }
    }
}
