package ai.tarka.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ComputePoolTest {
    private static final ComputePool POOL = new ComputePool(3);

    /**
     * Every index runs exactly once per call, whichever thread runs it: after a pause the workers
     * are parked, so the caller usually takes their indices back before they wake, and without the
     * pause they are spinning and usually claim them first. The same task object is resubmitted
     * call after call, as SGEMM does.
     */
    @Test
    void everyWorkerIndexRunsExactlyOncePerCall() {
        int calls = 400;
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        ComputePool.WorkerTask task = (w, n) -> {
            assertThat(n).isEqualTo(3);
            runs.incrementAndGet(w);
            threads.add(Thread.currentThread());
        };
        for (int call = 0; call < calls; call++) {
            if (call % 40 == 0) LockSupport.parkNanos(5_000_000);
            POOL.runWorkers(3, task);
            for (int w = 0; w < 3; w++) assertThat(runs.get(w)).as("index %d after call %d", w, call).isEqualTo(call + 1);
        }
        assertThat(threads).contains(Thread.currentThread());
    }

    /**
     * A failure in any index is thrown to the caller, and only after every index of the call has
     * finished (a worker still running a failed call would otherwise count down the next call).
     */
    @Test
    void aFailureInAnyIndexReachesTheCallerAfterTheWholeCall() {
        AtomicInteger running = new AtomicInteger();
        for (int round = 0; round < 50; round++) {
            assertThatThrownBy(() -> POOL.runWorkers(3, (w, n) -> {
                if (w == 0) throw new IllegalStateException("index 0");
                running.incrementAndGet();
                LockSupport.parkNanos(200_000);
                running.decrementAndGet();
            })).hasMessage("index 0");
            assertThat(running.get()).as("indices still running after the call threw").isZero();
        }
        for (int bad = 0; bad < 3; bad++) {
            int failing = bad;
            assertThatThrownBy(() -> POOL.runWorkers(3, (w, n) -> {
                if (w == failing) throw new IllegalStateException("index " + w);
            })).isInstanceOf(IllegalStateException.class).hasMessage("index " + failing);
        }
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        POOL.runWorkers(3, (w, n) -> runs.incrementAndGet(w));
        assertThat(runs.toString()).isEqualTo("[1, 1, 1]");
    }

    @Test
    void parallelForCoversTheRangeOnceAndNestedCallsRunInline() {
        int n = 10_007;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        POOL.parallelFor(n, 1, (s, e) -> {
            Thread outer = Thread.currentThread();
            POOL.parallelFor(e - s, 1, (s2, e2) -> {
                assertThat(Thread.currentThread()).isSameAs(outer);
                for (int i = s + s2; i < s + e2; i++) hits.incrementAndGet(i);
            });
        });
        for (int i = 0; i < n; i++) assertThat(hits.get(i)).isEqualTo(1);
    }
}
