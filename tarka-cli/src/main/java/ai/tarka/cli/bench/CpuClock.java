package ai.tarka.cli.bench;

import java.lang.management.ManagementFactory;

/**
 * Process CPU time, for benchmarks on a machine shared with other work: {@code work / (cpu seconds / threads)} is the
 * rate the threads reach while they are actually running, which the wall clock hides when the cores are oversubscribed.
 */
final class CpuClock {
    private CpuClock() {}

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
