package ai.tarka.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;

/**
 * What the machine can do in fp32, so benchmarks can report a fraction of peak:
 * {@code peak = cores × clock × FLOPs per cycle per core}.
 *
 * <p>FLOPs per cycle assume two FMA pipes per core, each doing {@code lanes} multiply-adds (2
 * FLOPs) per cycle, true for x86 cores since Haswell / Zen 2 at 256 bits. Zen 4 executes 512-bit
 * operations as two 256-bit halves, so on AMD family 25 a 512-bit width counts once. Without FMA
 * a core is taken to issue one multiply and one add per cycle. {@code -Dtarka.cpu.ghz} and
 * {@code -Dtarka.cpu.flopsPerCycle} override the detected clock and rate.
 *
 * @param cores         compute threads the figures are for
 * @param ghz           clock in GHz (NaN when unknown)
 * @param clockSource   where the clock came from
 * @param flopsPerCycle fp32 FLOPs per cycle per core
 * @param simd          how the per-cycle rate was derived
 * @param cpuModel      the CPU's model name, when known
 */
public record MachineInfo(int cores, double ghz, String clockSource, int flopsPerCycle, String simd, String cpuModel) {

    /** The machine as seen by the shared compute pool. */
    public static MachineInfo detect() {
        return detect(ComputePool.shared().threads());
    }

    /** The machine for {@code threads} compute threads. */
    public static MachineInfo detect(int threads) {
        List<String> cpuinfo = readLines(Path.of("/proc/cpuinfo"));
        String model = field(cpuinfo, "model name");
        String vendor = field(cpuinfo, "vendor_id");
        String family = field(cpuinfo, "cpu family");
        String flags = " " + field(cpuinfo, "flags") + " ";

        double ghz = Double.NaN;
        String source = "unknown";
        String override = System.getProperty("tarka.cpu.ghz");
        if (override != null && !override.isBlank()) {
            ghz = Double.parseDouble(override.trim());
            source = "-Dtarka.cpu.ghz";
        } else {
            List<String> max = readLines(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"));
            if (!max.isEmpty() && !max.get(0).isBlank()) {
                ghz = Long.parseLong(max.get(0).trim()) / 1e6;
                source = "cpufreq max";
            } else {
                double mhz = 0;
                for (String line : cpuinfo) {
                    if (line.startsWith("cpu MHz")) mhz = Math.max(mhz, Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()));
                }
                if (mhz > 0) {
                    ghz = mhz / 1000;
                    source = "/proc/cpuinfo cpu MHz";
                }
            }
        }

        int lanes = FloatVector.SPECIES_PREFERRED.length();
        boolean fma = flags.contains(" fma ") || !flags.contains(" avx "); // non-x86 (e.g. NEON) has FMA
        int pipes = 2;
        String simd = lanes * 32 + "-bit, " + (fma ? "FMA" : "no FMA") + ", 2 pipes";
        if (lanes == 16 && "AuthenticAMD".equals(vendor) && "25".equals(family)) {
            pipes = 1;
            simd = "512-bit double-pumped (Zen 4), FMA";
        }
        int perCycle = fma ? pipes * lanes * 2 : 2 * lanes;
        String rate = System.getProperty("tarka.cpu.flopsPerCycle");
        if (rate != null && !rate.isBlank()) {
            perCycle = Integer.parseInt(rate.trim());
            simd = "-Dtarka.cpu.flopsPerCycle";
        }
        return new MachineInfo(threads, ghz, source, perCycle, simd, model.isEmpty() ? System.getProperty("os.arch") : model);
    }

    /** fp32 peak of all {@link #cores} in GFLOP/s (NaN when the clock is unknown). */
    public double peakGflops() {
        return cores * ghz * flopsPerCycle;
    }

    /** One line for benchmark headers. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d core(s) x %.2f GHz (%s) x %d FLOP/cycle (%s) = %.1f GFLOP/s fp32 peak",
                cpuModel, cores, ghz, clockSource, flopsPerCycle, simd, peakGflops());
    }

    private static String field(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) return line.substring(colon + 1).trim();
        }
        return "";
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.isReadable(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
