package ai.tarka.cli.finetune;

import ai.tarka.cli.bench.BenchRecord;
import ai.tarka.cli.bench.BenchReport;
import ai.tarka.engine.Losses;
import ai.tarka.engine.RopeScaling;
import ai.tarka.train.HeapTarget;
import ai.tarka.finetune.lora.LoraConfig;
import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.finetune.qlora.QLora;
import ai.tarka.kernels.ComputePool;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.nn.Module;
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
 * {@code tarka bench finetune}: the same Llama model and batch trained in full, with LoRA and with QLoRA (all linear
 * layers, rank 16): median step time and peak RSS. Peak RSS is per process; VmHWM is reset before each variant where
 * the kernel allows, and variants run smallest first, but one {@code --variant} per process gives exact peaks.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tuning steps of one Llama model and batch: full vs LoRA vs QLoRA (all-linear, r=16), step time and peak RSS.",
                "The default model has the shape of Karpathy's stories42M (width 512, 8 layers, 8 heads, MLP 1376, vocab 32000) with "
                        + "a separate lm_head as in Llama 2: 58M parameters, so that weights, gradients and AdamW state, not the JVM, "
                        + "dominate memory, and the frozen 32000-row head is part of what LoRA saves.",
                "Run each --variant in its own process (as the tarka launcher does, with the same JVM flags) for exact peak RSS."})
public final class FinetuneBench implements Callable<Integer> {
    @Option(names = "--variant", defaultValue = "all", paramLabel = "full|lora|qlora|all",
            description = "Which variant (default: ${DEFAULT-VALUE}); run one per process for exact peak RSS.")
    String variant;

    @Option(names = "--width", defaultValue = "512", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--layers", defaultValue = "8", description = "Layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "8", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "8", description = "Key/value heads (default: ${DEFAULT-VALUE}).")
    int kvHeads;

    @Option(names = "--hidden", defaultValue = "1376", description = "MLP width (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--vocab", defaultValue = "32000", description = "Vocabulary (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--tie", description = "Tie the output head to the embedding (default: a separate lm_head, as Llama 2).")
    boolean tie;

    @Option(names = "--seq", defaultValue = "128", description = "Tokens per row (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--batch", defaultValue = "4", description = "Rows per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps, median reported (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up steps, untimed: the JIT is still compiling the "
            + "kernels through the first few (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--gradient-checkpointing", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Recompute each block in backward instead of keeping its activations, in every variant, as QLoRA "
                    + "recipes (and recipes/instruct-*.yaml) do; off by default, as gradient_checkpointing is in a "
                    + "fine-tuning config (default: ${DEFAULT-VALUE}).")
    boolean checkpointing;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON records.")
    Path json;

    @Override
    public Integer call() throws IOException {
        List<String> variants = variant.equalsIgnoreCase("all") ? List.of("qlora", "lora", "full") : List.of(variant.toLowerCase(Locale.ROOT));
        for (String v : variants) {
            if (!List.of("full", "lora", "qlora").contains(v)) throw new IllegalArgumentException("bench finetune: unknown --variant '" + v + "'");
        }
        ModelConfig config = new ModelConfig(ModelArchitecture.LLAMA, vocab, width, layers, heads, kvHeads, hidden, seq, 1e-5,
                10000, RopeScaling.none(), tie, false, 0, 0, 1, 2);
        BenchReport report = new BenchReport("Fine-tuning step (forward, backward, AdamW), same model and batch",
                "variant", "params", "trained", "median s/step", "vs full", "CPU s/step", "vs full", "peak RSS MiB", "vs full");
        report.context("model", String.format(Locale.ROOT, "Llama V=%d L=%d C=%d H=%d/%d MLP=%d %s T=%d B=%d", vocab, layers,
                        width, heads, kvHeads, hidden, tie ? "tied head" : "separate lm_head", seq, batch))
                .context("adapters", "all linear layers but lm_head, r=16, alpha=32; QLoRA base NF4 (block 64, double-quantised scales)")
                .context("threads", ComputePool.shared().threads())
                .context("runs", steps + " timed steps (median) after " + warmup + " warm-up, random tokens"
                        + (checkpointing ? ", gradient checkpointing per block" : ", no gradient checkpointing"))
                .context("CPU s/step", "CPU time of the whole process per step (compute, GC, JIT): the step's cost on a busy machine")
                .context("peak RSS", "VmHWM of this process, reset before each variant when the kernel allows")
                .context("jvm", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-XX:") || a.startsWith("-Xm")).toList()));
        double[] time = new double[3], cpuTime = new double[3], rss = new double[3];
        List<String[]> rows = new ArrayList<>();
        for (String v : variants) {
            System.gc();
            boolean reset = resetPeakRss();
            double[] m = measure(v, config);
            long peak = peakRssKib();
            int i = List.of("full", "lora", "qlora").indexOf(v);
            time[i] = m[2];
            cpuTime[i] = m[3];
            rss[i] = peak / 1024.0;
            rows.add(new String[] {v, String.format(Locale.ROOT, "%.2fM", m[0] / 1e6), String.format(Locale.ROOT, "%.3fM", m[1] / 1e6),
                    String.format(Locale.ROOT, "%.3f", m[2]), "-", String.format(Locale.ROOT, "%.3f", m[3]), "-",
                    peak < 0 ? "-" : String.format(Locale.ROOT, "%.0f%s", rss[i], reset ? "" : " (process)"), "-"});
            report.record(BenchRecord.of("finetune." + v + ".s_per_step", m[2], "s"));
            report.record(BenchRecord.of("finetune." + v + ".cpu_s_per_step", m[3], "s"));
            if (peak >= 0) report.record(BenchRecord.of("finetune." + v + ".peak_rss", rss[i], "MiB"));
        }
        for (String[] r : rows) {
            int i = List.of("full", "lora", "qlora").indexOf(r[0]);
            if (time[0] > 0) {
                r[4] = String.format(Locale.ROOT, "%.0f%%", 100 * time[i] / time[0]);
                r[6] = String.format(Locale.ROOT, "%.0f%%", 100 * cpuTime[i] / cpuTime[0]);
                r[8] = rss[0] > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * rss[i] / rss[0]) : "-";
            }
            report.row(r);
        }
        report.print(System.out);
        if (json != null) {
            report.writeJson(json);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /** {params, trained params, median seconds per step, median process CPU seconds per step}. */
    private double[] measure(String v, ModelConfig config) {
        long setup0 = System.nanoTime();
        CausalLm base = Models.create(config, 1);
        long params = base.module().numParameters();
        LoraConfig lc = new LoraConfig(16, 32, 0, List.of(), null, true, "none", false, false, List.of(), "true", 3);
        CausalLm model;
        Module trained;
        switch (v) {
            case "lora" -> {
                LoraModel l = LoraModel.wrap(base, lc, null);
                model = l;
                trained = l.trainableView();
            }
            case "qlora" -> {
                LoraModel l = QLora.wrap(base, lc, null);
                model = l;
                trained = l.trainableView();
            }
            default -> {
                model = base;
                trained = base.module();
            }
        }
        if (checkpointing) model.gradientCheckpointing(true);
        System.gc();
        ParameterBuffer buffer = ParameterBuffer.flatten(trained);
        AdamW opt = AdamW.builder(buffer).lr(1e-4).betas(0.9, 0.999).group(ParamGroup.noDecayBelowRank2()).build();
        TrainingStep step = new TrainingStep(opt, 1.0);
        System.err.printf(Locale.ROOT, "%s: set up in %.1f s%n", v, (System.nanoTime() - setup0) / 1e9);
        SplittableRandom rng = new SplittableRandom(7);
        int n = batch * seq;
        int[] inputs = new int[n], targets = new int[n];
        double[] seconds = new double[steps], cpu = new double[steps];
        long activations = HeapTarget.activationBytes(config, n, checkpointing);
        HeapTarget.fit(activations + HeapTarget.optimiserBytes(buffer.trainableSize())); // as tarka finetune does
        for (int i = -warmup; i < steps; i++) {
            for (int j = 0; j < n; j++) {
                inputs[j] = rng.nextInt(vocab);
                targets[j] = rng.nextInt(vocab);
            }
            long t0 = System.nanoTime(), c0 = processCpuNanos();
            step.microBatch(() -> Losses.crossEntropy(model.forward(inputs, null, batch, seq), targets, -100), n);
            step.finish();
            if (i >= 0) {
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                cpu[i] = (processCpuNanos() - c0) / 1e9;
            }
            if (i == -warmup) {
                long target = HeapTarget.fit(activations);
                System.err.printf(Locale.ROOT, "%s: heap target %d MiB%n", v, target >> 20);
            }
            System.err.printf(Locale.ROOT, "%s: step %d %.3f s, RSS %d MiB%n", v, i, (System.nanoTime() - t0) / 1e9, currentRssKib() / 1024);
        }
        Arrays.sort(seconds);
        Arrays.sort(cpu);
        return new double[] {params, buffer.trainableSize(), seconds[steps / 2], cpu[steps / 2]};
    }

    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** CPU time of the whole process (compute, GC and JIT threads): the work a step costs, whatever else runs. */
    private static long processCpuNanos() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static long currentRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static long peakRssKib() {
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
