package dev.sluice.scheduler;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The production {@link TaskTimer}: one daemon thread that only times, never does I/O. */
final class ExecutorTimer implements TaskTimer {

    private final ScheduledThreadPoolExecutor executor;

    ExecutorTimer(String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        // cancelled retry timers would otherwise stay in the heap until their (distant) due time
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        var future = executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    /** The worker pool: fixed size, so disk-bound work cannot multiply threads. */
    static ExecutorService workers(int threads, String namePrefix) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> new Thread(r, namePrefix + n.incrementAndGet()));
    }

    /**
     * Where pre-delivery filters are called: a few daemon threads, more only when calls queue up (filters that
     * block inside their methods), up to {@code threads}; past that and 1000 queued calls a call fails at once
     * (its batch is deferred). Idle threads end after 30 s.
     */
    static ExecutorService filterCallers(int threads, String namePrefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(Math.min(4, threads), threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1000), r -> {
                    Thread t = new Thread(r, namePrefix + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
