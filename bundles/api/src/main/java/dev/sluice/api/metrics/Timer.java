package dev.sluice.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/** One histogram series of durations. Thread-safe; recording allocates nothing. */
@ProviderType
public interface Timer {

    /** Records nothing. */
    Timer NONE = nanos -> { };

    /** Adds one observation; negative durations count as 0. */
    void record(long nanos);

    /** Adds the time elapsed since {@code startNanos}, a {@link System#nanoTime()} value. */
    default void since(long startNanos) {
        record(System.nanoTime() - startNanos);
    }
}
