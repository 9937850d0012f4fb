package dev.sluice.scheduler;

import java.time.Duration;

/**
 * Runs a task after a delay. An interface rather than a {@code ScheduledExecutorService} so that tests drive
 * time with a manual clock instead of sleeping.
 */
interface TaskTimer {

    /** Runs {@code task} once after {@code delay}; tasks must be quick (they only hand work to the workers). */
    Cancellable schedule(Duration delay, Runnable task);

    /** Stops the timer; scheduled tasks are dropped. */
    void close();

    interface Cancellable {
        void cancel();
    }
}
