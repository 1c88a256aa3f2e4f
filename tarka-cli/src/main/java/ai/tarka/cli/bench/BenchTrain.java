package ai.tarka.cli.bench;

import ai.tarka.cli.progress.Progress;
import ai.tarka.engine.Losses;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.optim.ParamGroup;
import ai.tarka.nn.train.TrainingStep;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tarka bench train}: full GPT-2 training steps (forward, cross-entropy, backward, clipping, AdamW) on random
 * tokens for issue 4's configs, in tokens per second, with the peak resident memory of a fresh child JVM per config
 * (started with this JVM's flags). The PyTorch peer is {@code bench/pytorch/bench_train.py} (same configs).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Full training steps (forward, backward, AdamW) of GPT-2 configs A, B, C: tokens/s and peak RSS.")
public final class BenchTrain implements Callable<Integer> {

    /** Issue 4's benchmark configs. */
    enum Config {
        A(65, 6, 6, 384, 256, 8, "char-level Shakespeare"),
        B(50257, 12, 12, 768, 64, 4, "GPT-2 124M"),
        C(4096, 4, 4, 128, 128, 16, "small BPE");

        final int vocab, layers, heads, width, seq, batch;
        final String label;

        Config(int vocab, int layers, int heads, int width, int seq, int batch, String label) {
            this.vocab = vocab;
            this.layers = layers;
            this.heads = heads;
            this.width = width;
            this.seq = seq;
            this.batch = batch;
            this.label = label;
        }

        /**
         * A maximum heap for this config's child JVM: 16 bytes per parameter (weights, gradients, AdamW's two
         * moments) plus an estimate of what one step allocates for activations and their gradients (about 34
         * floats per layer, token and channel, and two rows of logits per token), plus 64 MiB. Without a cap the
         * parallel collector grows the heap to gigabytes of garbage (issue 4: peak RSS 1.9 GiB on config C against
         * a live set of a few hundred MiB); with it the heap stays near the live set at no measurable cost per step.
         */
        long heapMib() {
            long params = (long) vocab * width + (long) seq * width + (long) layers * (12L * width * width + 13L * width)
                    + 2L * width;
            double activations = 4.0 * batch * seq * (34.0 * layers * width + 2.0 * vocab);
            return (long) ((16.0 * params + activations) / (1 << 20)) + 64;
        }

        String shape() {
            return String.format(Locale.ROOT, "V=%d L=%d H=%d C=%d T=%d B=%d", vocab, layers, heads, width, seq, batch);
        }
    }

    @Option(names = "--config", paramLabel = "A|B|C|all", defaultValue = "all",
            description = "Which config (default: ${DEFAULT-VALUE}); peak RSS is per process, so measure one config per run for exact peaks.")
    String config;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps, median reported (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON records.")
    Path json;

    @Option(names = "--pytorch", description = "Also run bench/pytorch/bench_train.py (one process per config, OpenBLAS "
            + "with OpenMP threads, as many threads as Tarka) and print the ratio.")
    boolean pytorch;

    @Option(names = "--in-process", description = "Measure every config in this JVM instead of one fresh child JVM "
            + "per config (with this JVM's flags); the peak RSS then also holds earlier configs' heap.")
    boolean inProcess;

    @Option(names = "--no-heap-cap", description = "Start the child JVMs without the -Xmx sized from each config's "
            + "parameters and activations (the JVM's default maximum heap, a quarter of the machine's memory).")
    boolean noHeapCap;

    /** Set on the child JVM that measures one config: prints one {@value #CHILD_PREFIX} line and nothing else. */
    @Option(names = "--child", hidden = true)
    boolean child;

    static final String CHILD_PREFIX = "tarka-bench-train-child ";

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "/usr/bin/python3",
            description = "Python with torch for --pytorch (default: ${DEFAULT-VALUE}).")
    String python;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || warmup < 0) throw new IllegalArgumentException("bench train: --steps must be >= 1 and --warmup >= 0");
        List<Config> configs = new ArrayList<>();
        if (config.equalsIgnoreCase("all")) {
            configs.addAll(List.of(Config.values()));
        } else {
            for (String c : config.split(",")) {
                try {
                    configs.add(Config.valueOf(c.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bench train: unknown --config '" + c + "' (A, B, C or all)");
                }
            }
        }
        if (child) {
            if (configs.size() != 1) throw new IllegalArgumentException("bench train --child: exactly one --config");
            Config c = configs.get(0);
            resetPeakRss();
            Measured m = measure(c, null);
            System.out.println(CHILD_PREFIX + m.params + " " + m.medianSeconds + " " + peakRssKib());
            return 0;
        }
        BenchReport report = pytorch
                ? new BenchReport("GPT-2 training step (forward, backward, AdamW), fp32, Tarka vs PyTorch",
                        "config", "shape", "params", "median s/step", "tokens/s", "peak RSS MiB", "torch tokens/s",
                        "torch peak MiB", "vs torch")
                : new BenchReport("GPT-2 training step (forward, backward, AdamW), fp32",
                        "config", "shape", "params", "median s/step", "tokens/s", "peak RSS MiB");
        PyTorchPeer peer = pytorch ? new PyTorchPeer(python, ComputePool.shared().threads(), warmup, steps) : null;
        if (peer != null) report.context("pytorch", peer.describe());
        report.context("threads", ComputePool.shared().threads())
                .context("vector", Vec.describe())
                .context("runs", steps + " timed steps (median) after " + warmup + " warm-up, random tokens")
                .context("peak RSS", inProcess ? "VmHWM of this process, reset before each config when the kernel allows"
                        : "VmHWM of a fresh child JVM per config, started with this JVM's flags"
                                + (noHeapCap ? "" : " and -Xmx sized from the config"));
        try (Progress progress = Progress.start("bench train", (long) configs.size() * (steps + warmup), "steps")) {
            for (Config c : configs) {
                progress.status(c.name());
                boolean reset;
                Measured m;
                long peak;
                if (inProcess) {
                    reset = resetPeakRss();
                    m = measure(c, progress);
                    peak = peakRssKib();
                } else {
                    ChildResult r = measureInChild(c);
                    progress.step(steps + warmup);
                    reset = true;
                    m = r.measured;
                    peak = r.peakKib;
                }
                double tokensPerSecond = c.batch * c.seq / m.medianSeconds;
                List<String> cells = new ArrayList<>(List.of(c.name(), c.shape(), String.format(Locale.ROOT, "%.1fM", m.params / 1e6),
                        String.format(Locale.ROOT, "%.3f", m.medianSeconds),
                        String.format(Locale.ROOT, "%.0f", tokensPerSecond),
                        peak < 0 ? "-" : String.format(Locale.ROOT, "%.0f%s", peak / 1024.0, reset ? "" : " (process)")));
                if (peer != null) {
                    progress.status(c.name() + " pytorch");
                    PyTorchPeer.Result t = peer.run(c.name());
                    cells.addAll(List.of(String.format(Locale.ROOT, "%.0f", t.tokensPerSecond()),
                            String.format(Locale.ROOT, "%.0f", t.peakRssMib()),
                            String.format(Locale.ROOT, "%.2fx", tokensPerSecond / t.tokensPerSecond())));
                    report.record(BenchRecord.compared("train." + c.name() + ".tokens_per_s", tokensPerSecond, "tokens/s",
                            "train." + c.name() + ".pytorch.tokens_per_s", t.tokensPerSecond()));
                } else {
                    report.record(BenchRecord.of("train." + c.name() + ".tokens_per_s", tokensPerSecond, "tokens/s"));
                }
                report.row(cells.toArray(String[]::new));
                if (peak >= 0) report.record(BenchRecord.of("train." + c.name() + ".peak_rss", peak / 1024.0, "MiB"));
            }
        }
        if (peer != null) report.context("pytorch BLAS", peer.blas());
        report.print(System.out);
        if (json != null) {
            report.writeJson(json);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private record Measured(long params, double medianSeconds) {}

    private Measured measure(Config c, Progress progress) {
        ModelConfig mc = ModelConfig.gpt2(c.vocab, c.seq, c.layers, c.heads, c.width);
        CausalLm model = Models.create(mc, 1);
        ParameterBuffer buffer = ParameterBuffer.flatten(model.module());
        AdamW opt = AdamW.builder(buffer).lr(3e-4).betas(0.9, 0.95).weightDecay(0.1).group(ParamGroup.noDecayBelowRank2()).build();
        TrainingStep step = new TrainingStep(opt, 1.0);
        SplittableRandom rng = new SplittableRandom(7);
        int n = c.batch * c.seq;
        int[] inputs = new int[n], targets = new int[n];
        double[] seconds = new double[steps];
        model.module().train();
        for (int i = -warmup; i < steps; i++) {
            for (int j = 0; j < n; j++) {
                inputs[j] = rng.nextInt(c.vocab);
                targets[j] = rng.nextInt(c.vocab);
            }
            long t0 = System.nanoTime();
            step.microBatch(() -> Losses.crossEntropy(model.forward(inputs, null, c.batch, c.seq), targets, -100), n);
            step.finish();
            double s = (System.nanoTime() - t0) / 1e9;
            if (i >= 0) seconds[i] = s;
            if (progress != null) progress.step(1);
        }
        Arrays.sort(seconds);
        return new Measured(buffer.trainableSize(), seconds[steps / 2]);
    }

    private record ChildResult(Measured measured, long peakKib) {}

    /**
     * Runs this command for one config in a fresh JVM with this JVM's own flags (the launcher's bin/jvm-flags and
     * TARKA_JAVA_OPTS) and classpath, so the peak RSS is that config's alone, as the PyTorch peer's is.
     */
    private ChildResult measureInChild(Config c) throws IOException, InterruptedException {
        String javaExe = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExe);
        if (!noHeapCap) cmd.add("-Xmx" + c.heapMib() + "m");   // before this JVM's flags: an -Xmx given there wins
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "ai.tarka.cli.TarkaMain", "bench", "train",
                "--child", "--config", c.name(), "--steps", Integer.toString(steps), "--warmup", Integer.toString(warmup)));
        Path log = Files.createTempFile("tarka-bench-train", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int code = p.waitFor();
            List<String> lines = Files.readAllLines(log);
            String result = lines.stream().filter(l -> l.startsWith(CHILD_PREFIX)).reduce((a, b) -> b).orElse(null);
            if (code != 0 || result == null) {
                throw new IllegalStateException("bench train: the child JVM for config " + c.name() + " exited with " + code
                        + ": " + lines.stream().reduce((a, b) -> b).orElse("(no output)"));
            }
            String[] f = result.substring(CHILD_PREFIX.length()).trim().split(" ");
            return new ChildResult(new Measured(Long.parseLong(f[0]), Double.parseDouble(f[1])), Long.parseLong(f[2]));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Linux resets VmHWM when "5" is written to clear_refs; false where that is not allowed. */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** VmHWM of /proc/self/status in KiB, or -1 when not on Linux. */
    static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
