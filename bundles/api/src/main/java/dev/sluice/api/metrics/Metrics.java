package dev.sluice.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Hands out recording handles. The same name and label values always give the same series; a name stands for one
 * family, so every call with it must give the same label names (and, for timers, the same buckets).
 *
 * <p>Names follow Prometheus: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, timers in seconds ending in {@code _seconds},
 * counters ending in {@code _total}. Label values should come from a small, bounded set (a listener, a filter, a
 * record type), never from message data.
 */
@ProviderType
public interface Metrics {

    /** Records nothing: what a producer uses while no metrics service is registered. */
    Metrics NONE = Noop.INSTANCE;

    /**
     * A histogram of durations.
     *
     * @param labels label name, value, name, value …
     * @throws IllegalArgumentException on a malformed name or label, an odd number of label strings, or a name
     *         used before with other label names, buckets or another metric type
     */
    Timer timer(String name, String help, Buckets buckets, String... labels);

    /**
     * A counter that only goes up.
     *
     * @param labels label name, value, name, value …
     * @throws IllegalArgumentException as {@link #timer}
     */
    Counter counter(String name, String help, String... labels);
}
