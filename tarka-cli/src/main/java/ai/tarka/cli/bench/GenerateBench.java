package ai.tarka.cli.bench;

import ai.tarka.inference.LlamaInference;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.RandomWeights;
import ai.tarka.inference.SequenceState;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.gemm.JavaSgemm;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tarka bench generate}: prompt processing and decode speed of the inference path on random-weight Llama
 * models, each decode figure also as a fraction of its bandwidth bound (bytes read per token ÷ the read bandwidth
 * measured in the same run) and each prompt figure as a fraction of the float GEMM speed measured in the same run.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Prompt and decode tokens/s of random-weight stories15M/stories110M in F32, Q8_0, Q4_0, against bandwidth and GEMM bounds.")
public final class GenerateBench implements Callable<Integer> {
    @Option(names = "--models", split = ",", defaultValue = "stories15M,stories110M", description = "Configs (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--formats", split = ",", defaultValue = "f32,q8_0,q4_0", description = "Weight formats: f32, f16, bf16, q8_0, q4_0, nf4 (default: ${DEFAULT-VALUE}).")
    List<String> formats;

    @Option(names = "--prompt", defaultValue = "128", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int prompt;

    @Option(names = "--decode", defaultValue = "128", description = "Decoded tokens (default: ${DEFAULT-VALUE}).")
    int decode;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed runs; the best is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--bandwidth-mb", defaultValue = "256", description = "MiB per array of the bandwidth measurement (default: ${DEFAULT-VALUE}).")
    int bandwidthMb;

    @Option(names = "--json", description = "Also write the figures as JSON records to FILE.")
    Path json;

    static ModelConfig config(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "stories15m" -> LlamaCheckpoints.llama2cConfig(288, 768, 6, 6, 6, 32000, 256, true);
            case "stories110m" -> LlamaCheckpoints.llama2cConfig(768, 2048, 12, 12, 12, 32000, 1024, true);
            case "stories260k" -> LlamaCheckpoints.llama2cConfig(64, 172, 5, 8, 4, 512, 512, true);
            default -> throw new IllegalArgumentException("bench generate: unknown model '" + name + "' (stories260K, stories15M, stories110M)");
        };
    }

    /** Wall seconds, and process CPU seconds (all threads) of the decode part. */
    record Timing(double prefillSeconds, double decodeSeconds, double prefillCpuSeconds, double decodeCpuSeconds) {}

    @Override
    public Integer call() throws Exception {
        if (prompt < 1 || decode < 1 || repeat < 1) throw new IllegalArgumentException("bench generate: --prompt, --decode and --repeat must be >= 1");
        int threads = ComputePool.shared().threads();
        MemoryBench.Result bw = MemoryBench.measure(threads, bandwidthMb, 10);
        BenchReport rep = new BenchReport("Generation speed (random weights, greedy; best of " + repeat + ")",
                "model", "format", "MB/token", "prompt tok/s", "% GEMM", "decode tok/s", "bound tok/s", "% bound",
                "cpu-norm: prompt tok/s", "% GEMM", "decode tok/s", "bound tok/s", "% bound");
        rep.context("threads", threads).context("cpu-norm", "work / (process CPU seconds / threads): rates while our threads run (the machine may be shared); bound from cpu-norm read bandwidth").context("prompt tokens", prompt).context("decoded tokens", decode)
                .context("read bandwidth", String.format(Locale.ROOT, "%.2f GB/s wall, %.2f GB/s cpu-norm (copy %.2f/%.2f, triad %.2f/%.2f)",
                        bw.read(), bw.readCpu(), bw.copy(), bw.copyCpu(), bw.triad(), bw.triadCpu()));
        List<String> gemmNotes = new ArrayList<>();
        for (String name : models) {
            ModelConfig c = config(name);
            double[] gemms = gemmGflops(prompt, c.hiddenSize(), c.intermediateSize(), threads);
            double gemm = gemms[0], gemmCpu = gemms[1];
            gemmNotes.add(String.format(Locale.ROOT, "%s %.1f GFLOP/s wall, %.1f cpu-norm (%dx%dx%d)", name, gemm, gemmCpu, prompt, c.hiddenSize(), c.intermediateSize()));
            try (LlamaWeights f32 = RandomWeights.llama(c, 1234)) {
                for (String fs : formats) {
                    QuantFormat f = ai.tarka.cli.generate.Formats.parse(fs);
                    LlamaWeights w = f == QuantFormat.F32 ? f32 : f32.convert(f);
                    try {
                        Timing t = run(w);
                        double kvBytes = 2.0 * 4 * c.numLayers() * (prompt + decode / 2.0) * c.numKvHeads() * c.headDim();
                        double bytes = w.bytesPerToken() + kvBytes;
                        double decodeRate = (decode - 1) / t.decodeSeconds(), bound = bw.read() * 1e9 / bytes;
                        double promptRate = prompt / t.prefillSeconds();
                        // on a machine shared with other work the wall clock counts time the threads were not running;
                        // decode tokens per (CPU seconds / threads) is the rate had the threads had their cores
                        double cpuRate = (decode - 1) / Math.min(t.decodeSeconds(), t.decodeCpuSeconds() / threads);
                        double cpuPrompt = prompt / Math.min(t.prefillSeconds(), t.prefillCpuSeconds() / threads);
                        double cpuBound = bw.readCpu() * 1e9 / bytes;
                        double flops = prefillFlops(c, prompt);
                        double gemmFraction = flops / t.prefillSeconds() / 1e9 / gemm;
                        rep.row(name, f.toString(), String.format(Locale.ROOT, "%.1f", bytes / 1e6),
                                String.format(Locale.ROOT, "%.1f", promptRate), String.format(Locale.ROOT, "%.0f%%", 100 * gemmFraction),
                                String.format(Locale.ROOT, "%.2f", decodeRate), String.format(Locale.ROOT, "%.2f", bound),
                                String.format(Locale.ROOT, "%.0f%%", 100 * decodeRate / bound),
                                String.format(Locale.ROOT, "%.1f", cpuPrompt),
                                String.format(Locale.ROOT, "%.0f%%", 100 * flops / prompt * cpuPrompt / 1e9 / gemmCpu),
                                String.format(Locale.ROOT, "%.2f", cpuRate), String.format(Locale.ROOT, "%.2f", cpuBound),
                                String.format(Locale.ROOT, "%.0f%%", 100 * cpuRate / cpuBound));
                        rep.record(BenchRecord.compared("generate." + name + "." + f + ".decode", decodeRate, "tokens/s", "bandwidth bound", bound));
                        rep.record(BenchRecord.compared("generate." + name + "." + f + ".prompt", promptRate, "tokens/s", "gemm-speed bound",
                                gemm * 1e9 / (flops / prompt)));
                    } finally {
                        if (w != f32) w.close();
                    }
                }
            }
        }
        rep.context("float GEMM (same run)", String.join("; ", gemmNotes));
        rep.print(System.out);
        if (json != null) rep.writeJson(json);
        return 0;
    }

    private Timing run(LlamaWeights w) {
        LlamaInference m = new LlamaInference(w, prompt + decode, prompt);
        int vocab = w.config().vocabSize();
        int[] tokens = new int[prompt];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < prompt; i++) tokens[i] = r.nextInt(vocab);
        once(m, tokens, Math.min(decode, 16)); // warm-up: compile the kernels
        Timing best = null;
        for (int i = 0; i < repeat; i++) {
            Timing t = once(m, tokens, decode);
            best = best == null ? t : new Timing(Math.min(best.prefillSeconds(), t.prefillSeconds()),
                    Math.min(best.decodeSeconds(), t.decodeSeconds()), Math.min(best.prefillCpuSeconds(), t.prefillCpuSeconds()),
                    Math.min(best.decodeCpuSeconds(), t.decodeCpuSeconds()));
        }
        return best;
    }

    private static Timing once(LlamaInference m, int[] prompt, int decode) {
        SequenceState s = m.newSequence();
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        float[] logits = m.prefill(s, prompt);
        long t1 = System.nanoTime();
        long c1 = cpuNanos();
        int vocab = m.config().vocabSize();
        int[] one = new int[1];
        List<SequenceState> seq = List.of(s);
        for (int i = 1; i < decode; i++) {
            int best = 0;
            for (int v = 1; v < vocab; v++) if (logits[v] > logits[best]) best = v;
            one[0] = best;
            logits = m.forwardBatch(seq, one);
        }
        long t2 = System.nanoTime();
        long c2 = cpuNanos();
        return new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9, (c1 - c0) / 1e9, (c2 - c1) / 1e9);
    }

    private static long cpuNanos() {
        return CpuClock.nanos();
    }

    /** Multiply-adds of a T-token prompt ×2: the layer matrices for every token, attention, the head for the last. */
    static double prefillFlops(ModelConfig c, int t) {
        double d = c.hiddenSize(), kv = c.numKvHeads() * c.headDim(), h = c.intermediateSize();
        double perToken = c.numLayers() * (2 * d * d + 2 * d * kv + 3 * d * h);
        double attention = c.numLayers() * 2.0 * d * t * (t + 1) / 2.0;
        return 2 * (perToken * t + attention + d * c.vocabSize());
    }

    /** GFLOP/s of the pure-Java SGEMM on the prompt's MLP shape, A[T, dim]·B[hidden, dim]ᵀ, best of 5: {wall, cpu-norm}. */
    static double[] gemmGflops(int t, int dim, int hidden, int threads) {
        float[] a = new float[t * dim], b = new float[hidden * dim], c = new float[t * hidden];
        Arrays.fill(a, 0.5f);
        Arrays.fill(b, 0.25f);
        JavaSgemm g = JavaSgemm.shared();
        for (int i = 0; i < 3; i++) g.sgemm(false, true, t, hidden, dim, 1f, a, 0, dim, b, 0, dim, 0f, c, 0, hidden);
        double best = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long c0 = CpuClock.nanos();
            long t0 = System.nanoTime();
            g.sgemm(false, true, t, hidden, dim, 1f, a, 0, dim, b, 0, dim, 0f, c, 0, hidden);
            double wall = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, wall);
            bestCpu = Math.min(bestCpu, Math.min(wall, (CpuClock.nanos() - c0) / 1e9 / threads));
        }
        double flops = 2.0 * t * dim * hidden;
        return new double[] {flops / best / 1e9, flops / bestCpu / 1e9};
    }
}
