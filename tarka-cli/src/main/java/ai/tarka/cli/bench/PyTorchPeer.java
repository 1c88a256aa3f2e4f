package ai.tarka.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code bench/pytorch/bench_train.py} for one config in a fresh process (so its peak RSS is that config's),
 * with torch on OpenBLAS's OpenMP flavour and the same thread count as Tarka, and reads its JSON line.
 */
final class PyTorchPeer {
    record Result(double tokensPerSecond, double peakRssMib, String blas) {}

    private static final String OPENBLAS_OPENMP = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
    private final String python;
    private final int threads, warmup, steps;
    private final Path script;
    private String blas = "?";

    PyTorchPeer(String python, int threads, int warmup, int steps) {
        this.python = python;
        this.threads = threads;
        this.warmup = warmup;
        this.steps = steps;
        String home = System.getProperty("tarka.home", ".");
        this.script = Path.of(home, "bench", "pytorch", "bench_train.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("bench train --pytorch: " + script + " not found (run from the project root)");
        }
    }

    String describe() {
        return python + " " + script + ", " + threads + " threads, OpenBLAS (OpenMP) from " + OPENBLAS_OPENMP;
    }

    /** The BLAS library torch reported loading (after the first run). */
    String blas() {
        return blas;
    }

    Result run(String config) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(python, script.toString(), "--config", config,
                "--threads", Integer.toString(threads), "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps)));
        Map<String, String> env = pb.environment();
        env.put("LD_LIBRARY_PATH", OPENBLAS_OPENMP);
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        Path err = Files.createTempFile("tarka-bench-torch", ".log");
        Path outFile = Files.createTempFile("tarka-bench-torch", ".json");
        try {
            pb.redirectError(err.toFile());
            pb.redirectOutput(outFile.toFile());
            Process p = pb.start();
            // the script's own ru_maxrss inherits the JVM's high-water mark across exec, so the peak is watched from here
            long peakKib = 0;
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            while (!p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS)) peakKib = Math.max(peakKib, hwmKib(status));
            int code = p.exitValue();
            String out = Files.readString(outFile, StandardCharsets.UTF_8);
            String log = Files.readString(err);
            if (code != 0) {
                throw new IllegalStateException("bench train --pytorch: " + script + " --config " + config + " exited with "
                        + code + ": " + log.strip().lines().reduce((a, b) -> b).orElse(""));
            }
            for (String line : log.lines().toList()) if (line.startsWith("pytorch BLAS loaded:")) blas = line.substring(20).trim();
            JsonNode j = new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
            double peakMib = peakKib > 0 ? peakKib / 1024.0 : j.path("peak_rss_mib").asDouble();
            return new Result(j.path("tokens_per_s").asDouble(), peakMib, blas);
        } finally {
            Files.deleteIfExists(err);
            Files.deleteIfExists(outFile);
        }
    }

    private static long hwmKib(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // the process just ended
        }
        return 0;
    }
}
