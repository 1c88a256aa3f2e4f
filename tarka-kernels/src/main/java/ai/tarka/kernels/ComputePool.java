package ai.tarka.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one compute pool every kernel shares, sized to the cores (system property {@code tarka.threads}
 * overrides). Work is split into static, contiguous chunks, one per thread, so results are
 * deterministic for a fixed thread count. The calling thread runs chunk 0 itself; calls made from
 * inside a pool task run inline, so kernels may nest without deadlock.
 *
 * <p>Kernel threads are platform threads reserved for compute; I/O and HTTP threads never run here.
 */
public final class ComputePool {

    /** A chunk of work over the index range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    /** A chunk of work given its worker index, for kernels that own per-thread scratch. */
    @FunctionalInterface
    public interface WorkerTask {
        void run(int worker, int workers);
    }

    private static final ComputePool SHARED = new ComputePool(defaultThreads());

    private final int threads;
    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread waiter;
    private volatile Throwable failure;
    private final Object submitLock = new Object();
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    public static ComputePool shared() {
        return SHARED;
    }

    public static int defaultThreads() {
        String p = System.getProperty("tarka.threads");
        if (p != null && !p.isBlank()) {
            int n = Integer.parseInt(p.trim());
            if (n < 1) throw new IllegalArgumentException("tarka.threads must be >= 1, got " + n);
            return n;
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public ComputePool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            Thread t = new Thread(workers[i], "tarka-compute-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.run(worker, workers)} once for each worker index below
     * {@code workers = min(threads, maxWorkers)}, in parallel. The caller runs index 0, then takes back
     * and runs itself any index whose pool thread has not started it yet: on a machine busier than
     * its cores, a descheduled thread would otherwise hold up the whole call until the OS runs it
     * (measured: a tiny transformer's training step 15× slower on two loaded cores). Which thread runs
     * an index never changes what the index computes, so results stay deterministic.
     */
    public void runWorkers(int maxWorkers, WorkerTask task) {
        int n = Math.min(threads, Math.max(1, maxWorkers));
        if (n == 1 || INSIDE.get()) {
            for (int w = 0; w < n; w++) task.run(w, n);
            return;
        }
        synchronized (submitLock) {
            failure = null;
            waiter = Thread.currentThread();
            pending.set(n - 1);
            for (int w = 1; w < n; w++) workers[w - 1].submit(task, n);
            Throwable own = null;
            INSIDE.set(Boolean.TRUE);
            try {
                task.run(0, n);
            } catch (Throwable e) {
                own = e;
            }
            try {
                for (int w = n - 1; w >= 1; w--) {
                    if (workers[w - 1].reclaim(task)) {
                        if (own == null) runReclaimed(task, w, n);
                        else pending.decrementAndGet(); // the call fails anyway: skip the work
                    }
                }
            } finally {
                INSIDE.set(Boolean.FALSE);
            }
            // even when index 0 failed: a worker still running this call must not count down the next one
            int spins = 0;
            while (pending.get() != 0) {
                if (++spins < 20_000) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 50_000);
            }
            waiter = null;
            Throwable f = own != null ? own : failure;
            if (f != null) {
                failure = null;
                if (f instanceof RuntimeException re) throw re;
                if (f instanceof Error e) throw e;
                throw new RuntimeException(f);
            }
        }
    }

    /**
     * Splits {@code [0, n)} into one contiguous chunk per thread (at least {@code grain} indices each)
     * and runs them in parallel.
     */
    public void parallelFor(int n, int grain, RangeTask task) {
        if (n <= 0) return;
        int g = Math.max(1, grain);
        int chunks = (int) Math.min(threads, (n + (long) g - 1) / g);
        if (chunks <= 1 || INSIDE.get()) {
            task.run(0, n);
            return;
        }
        runWorkers(chunks, (w, ws) -> {
            long start = (long) n * w / ws;
            long end = (long) n * (w + 1) / ws;
            if (start < end) task.run((int) start, (int) end);
        });
    }

    public void parallelFor(int n, RangeTask task) {
        parallelFor(n, 1, task);
    }

    /** Runs a worker's task on the calling thread, reporting a failure as the worker would. */
    private void runReclaimed(WorkerTask task, int w, int n) {
        try {
            task.run(w, n);
        } catch (Throwable e) {
            failure = e;
        } finally {
            pending.decrementAndGet();
        }
    }

    private static final VarHandle TASK;

    static {
        try {
            TASK = MethodHandles.lookup().findVarHandle(Worker.class, "task", WorkerTask.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final class Worker implements Runnable {
        final int index;
        Thread thread;
        volatile WorkerTask task;
        volatile int count;

        Worker(int index) {
            this.index = index;
        }

        void submit(WorkerTask t, int n) {
            count = n;
            task = t;
            LockSupport.unpark(thread);
        }

        /** Takes {@code t} back unless this worker has already claimed it; true when the caller now owns it. */
        boolean reclaim(WorkerTask t) {
            return TASK.compareAndSet(this, t, null);
        }

        @Override
        public void run() {
            INSIDE.set(Boolean.TRUE);
            while (true) {
                WorkerTask t = task;
                int spins = 0;
                // claim by compare-and-set: the caller may take an unstarted task back (reclaim)
                while (t == null || !TASK.compareAndSet(this, t, null)) {
                    if (++spins < 50_000) Thread.onSpinWait();
                    else LockSupport.park(this);
                    t = task;
                }
                try {
                    t.run(index, count);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        Thread w = waiter;
                        if (w != null) LockSupport.unpark(w);
                    }
                }
            }
        }
    }
}
