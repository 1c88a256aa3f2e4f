package ai.tarka.serve.engine;

import ai.tarka.models.CausalLm;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.Models;
import ai.tarka.serve.metrics.ServeMetrics;
import ai.tarka.serve.model.PagedLlama;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Manual profiling harness (not a test): the bench-serve workload (random 32-token prompts, 128 greedy tokens,
 * N requests at concurrency C) straight against the {@link Engine}, without HTTP, on a stories15M-size model.
 * Args: prefill chunks while decoding to compare (default 0 16).
 */
public final class EngineThroughputProfile {
    public static void main(String[] args) throws Exception {
        int[] chunks = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {0, 16};
        CausalLm lm = Models.create(LlamaCheckpoints.llama2cConfig(288, 768, 6, 6, 6, 32000, 640, true), 1);
        PagedLlama model = new PagedLlama(lm);
        Engine[] engines = new Engine[chunks.length];
        for (int e = 0; e < chunks.length; e++) {
            engines[e] = new Engine(model, new EngineTest.CharIds(), -1,
                    new EngineConfig(16, 2048, 64, 2048, chunks[e], 256, true), new ServeMetrics("p"));
        }
        Random rnd = new Random(3);
        run(engines[0], rnd, 4, 4, 16);
        for (int round = 0; round < 2; round++) {
            for (int e = 0; e < chunks.length; e++) {
                System.out.print("chunk " + chunks[e] + ": ");
                run(engines[e], rnd, 8, 1, 128);
                System.out.print("chunk " + chunks[e] + ": ");
                run(engines[e], rnd, 32, 16, 128);
            }
        }
        for (Engine e : engines) e.close();
    }

    static void run(Engine engine, Random rnd, int requests, int concurrency, int out) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        List<Double> itl = new ArrayList<>();
        long[] tokens = new long[1];
        try (ExecutorService ex = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int q = 0; q < requests; q++) {
                int[] prompt = new int[32];
                for (int i = 0; i < prompt.length; i++) prompt[i] = 3 + rnd.nextInt(31000);
                fs.add(ex.submit(() -> {
                    LinkedBlockingQueue<SeqEvent> events = new LinkedBlockingQueue<>();
                    SamplingOptions o = new SamplingOptions(0, 1, 0, 0, 0, 0, 1, null, out, 0, List.of(), new int[0],
                            true, java.util.Map.of(), false, 0, false);
                    engine.submit(prompt, o, 1, events::add);
                    long last = -1;
                    List<Double> mine = new ArrayList<>();
                    int n = 0;
                    while (true) {
                        SeqEvent e = events.take();
                        long now = System.nanoTime();
                        if (last >= 0) mine.add((now - last) / 1e6);
                        last = now;
                        n++;
                        if (e.finish() != null) break;
                    }
                    synchronized (itl) {
                        itl.addAll(mine);
                        tokens[0] += n;
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuMsPerToken = (os.getProcessCpuTime() - c0) / 1e6 / tokens[0];
        double[] v = itl.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("concurrency %2d: %.1f tok/s, cpu %.3f ms/token, itl median %.2f p99 %.2f ms (load %s)%n",
                concurrency, tokens[0] / secs, cpuMsPerToken, v[v.length / 2], v[(int) (v.length * 0.99)],
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
