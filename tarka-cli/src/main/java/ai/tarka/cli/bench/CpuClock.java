package ai.tarka.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of the threads that do the compute (the caller and the compute pool's workers), for benchmarks on a
 * machine shared with other work: {@code work / (cpu seconds / threads)} is the rate the threads reach while they
 * actually run, which the wall clock hides when the cores are oversubscribed. Per-thread clocks are used because the
 * process clock ticks too coarsely (10 ms) for sub-second measurements.
 */
final class CpuClock {
    private CpuClock() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static long nanos() {
        long sum = THREADS.getCurrentThreadCpuTime();
        for (long id : computeThreads()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t > 0) sum += t;
        }
        return sum;
    }

    private static long[] ids;

    private static synchronized long[] computeThreads() {
        if (ids == null) {
            List<Long> found = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet())
                if (t.getName().startsWith("tarka-compute-")) found.add(t.threadId());
            ids = found.stream().mapToLong(Long::longValue).toArray();
        }
        return ids;
    }
}
