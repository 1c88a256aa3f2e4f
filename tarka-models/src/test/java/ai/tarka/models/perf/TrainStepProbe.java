package ai.tarka.models.perf;

import ai.tarka.engine.Losses;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.optim.ParamGroup;
import ai.tarka.nn.train.StepStats;
import ai.tarka.nn.train.TrainingStep;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Not a test: a main that runs N GPT-2 training steps (the path of {@code tarka bench train}) and prints, per step,
 * the bytes allocated by all Java threads (load-independent), the loss, resident memory and heap figures.
 * Build with {@code ./mvnw -q -o -pl tarka-models -am test-compile}, then run with the launcher's flags (or others):
 * <pre>
 * java $(cat bin/jvm-flags) -cp tarka-{common,formats,kernels,engine,nn,tokenizers,models}/target/classes:\
 *     tarka-models/target/test-classes:tarka-cli/target/lib/* ai.tarka.models.perf.TrainStepProbe C 10
 * </pre>
 * (the {@code tarka-cli/target/lib} jars, from {@code ./tarka}'s build, supply the third-party dependencies).
 * Steps 1-2 include the JIT's warm-up (the Vector API allocates while interpreted); read the later steps.
 */
public final class TrainStepProbe {
    private TrainStepProbe() {}

    public static void main(String[] args) throws IOException {
        String cfg = args.length > 0 ? args[0] : "C";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int[] c = switch (cfg) {   // vocab, layers, heads, width, seq, batch
            case "A" -> new int[] {65, 6, 6, 384, 256, 8};
            case "B" -> new int[] {50257, 12, 12, 768, 64, 4};
            default -> new int[] {4096, 4, 4, 128, 128, 16};
        };
        ModelConfig mc = ModelConfig.gpt2(c[0], c[4], c[1], c[2], c[3]);
        CausalLm model = Models.create(mc, 1);
        ParameterBuffer buffer = ParameterBuffer.flatten(model.module());
        AdamW opt = AdamW.builder(buffer).lr(3e-4).betas(0.9, 0.95).weightDecay(0.1).group(ParamGroup.noDecayBelowRank2()).build();
        TrainingStep step = new TrainingStep(opt, 1.0);
        SplittableRandom rng = new SplittableRandom(7);
        int b = c[5], t = c[4], n = b * t;
        int[] inputs = new int[n], targets = new int[n];
        model.module().train();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "config %s params %d (%.1f MiB of weights)%n", cfg, buffer.trainableSize(),
                buffer.trainableSize() * 4 / 1048576.0);
        long allocSum = 0;
        int counted = 0;
        for (int i = 0; i < steps; i++) {
            for (int j = 0; j < n; j++) {
                inputs[j] = rng.nextInt(c[0]);
                targets[j] = rng.nextInt(c[0]);
            }
            long a0 = allocatedAll(threads), gc0 = gcCount(), gcMs0 = gcMillis(), cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            step.microBatch(() -> Losses.crossEntropy(model.forward(inputs, null, b, t), targets, -100), n);
            StepStats s = step.finish();
            double sec = (System.nanoTime() - t0) / 1e9;
            long bytes = allocatedAll(threads) - a0;
            if (i >= 2) {
                allocSum += bytes;
                counted++;
            }
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.out.printf(Locale.ROOT, "step %2d loss %.6f alloc %7.1f MiB  gcs %d (%d ms)  cpu %.2f s  %.3f s (%.0f tok/s)  heap used %.0f committed %.0f MiB  RSS %d HWM %d MiB%n",
                    i + 1, s.loss(), bytes / 1048576.0, gcCount() - gc0, gcMillis() - gcMs0, (os.getProcessCpuTime() - cpu0) / 1e9, sec, n / sec, heap.getUsed() / 1048576.0,
                    heap.getCommitted() / 1048576.0, status("VmRSS:") / 1024, status("VmHWM:") / 1024);
        }
        if (counted > 0) System.out.printf(Locale.ROOT, "mean alloc/step (steps 3..) %.1f MiB%n", allocSum / (double) counted / 1048576.0);
        System.out.println("load " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static long allocatedAll(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) if (a > 0) sum += a;
        return sum;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, g.getCollectionCount());
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, g.getCollectionTime());
        return n;
    }

    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
