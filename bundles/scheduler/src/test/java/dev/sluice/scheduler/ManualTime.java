package dev.sluice.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deterministic time for tests: a clock that only moves when told, a timer that fires when the clock passes
 * its tasks, and an executor that queues work until {@link #settle()} runs it on the test thread.
 */
final class ManualTime {

    private Instant now = Instant.parse("2026-03-02T10:00:00Z");
    private long seq;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final ArrayDeque<Runnable> work = new ArrayDeque<>();
    private boolean shutdown;

    private final class Task implements Comparable<Task>, TaskTimer.Cancellable {
        final Instant at;
        final long order = seq++;
        final Runnable runnable;
        boolean cancelled;

        Task(Instant at, Runnable runnable) {
            this.at = at;
            this.runnable = runnable;
        }

        @Override
        public int compareTo(Task o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    final TaskTimer timer = new TaskTimer() {
        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), task);
            tasks.add(t);
            return t;
        }

        @Override
        public void close() {
            tasks.clear();
        }
    };

    final AbstractExecutorService executor = new AbstractExecutorService() {
        @Override
        public void execute(Runnable command) {
            if (shutdown) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            }
            work.add(command);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.copyOf(work);
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown && work.isEmpty();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    };

    Instant now() {
        return now;
    }

    /** Runs queued work and timers due now until nothing is left; fails on a runaway loop. */
    void settle() {
        for (int n = 0; ; n++) {
            if (n > 1_000_000) {
                throw new AssertionError("work does not settle: endless loop?");
            }
            Runnable r = work.poll();
            if (r != null) {
                r.run();
                continue;
            }
            Task t = tasks.peek();
            if (t == null || t.at.isAfter(now)) {
                return;
            }
            tasks.poll();
            if (!t.cancelled) {
                t.runnable.run();
            }
        }
    }

    /** Moves time forward by {@code d}, firing every timer on its way at its own time. */
    void advance(Duration d) {
        Instant target = now.plus(d);
        settle();
        while (true) {
            Task t = tasks.peek();
            while (t != null && t.cancelled) {
                tasks.poll();
                t = tasks.peek();
            }
            if (t == null || t.at.isAfter(target)) {
                break;
            }
            if (t.at.isAfter(now)) {
                now = t.at;
            }
            settle();
        }
        now = target;
        settle();
    }
}
