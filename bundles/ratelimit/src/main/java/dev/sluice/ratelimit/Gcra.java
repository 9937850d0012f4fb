package dev.sluice.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket as the generic cell rate algorithm: one long (the theoretical arrival time) updated by CAS, so
 * takers never lock, and a rate change takes effect at the next call because the rate is an argument, not state.
 * Times are microseconds since the epoch: the same unit the Redis script uses, exact in a Lua double.
 */
final class Gcra {

    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);

    boolean tryTake(long nowMicros, long intervalMicros, long toleranceMicros) {
        while (true) {
            long current = tat.get();
            long start = Math.max(current, nowMicros);
            if (start - nowMicros > toleranceMicros) {
                return false;
            }
            if (tat.compareAndSet(current, start + intervalMicros)) {
                return true;
            }
        }
    }

    /** The first time at which {@link #tryTake} can succeed. */
    long nextMicros(long nowMicros, long toleranceMicros) {
        long current = tat.get();
        return current == Long.MIN_VALUE ? nowMicros : Math.max(nowMicros, current - toleranceMicros);
    }

    /** True when the bucket is full again, i.e. forgetting it changes nothing. */
    boolean idle(long nowMicros) {
        return tat.get() <= nowMicros;
    }

    static long intervalMicros(dev.sluice.api.ratelimit.Rate rate) {
        return Math.max(1, rate.period().toNanos() / 1000 / rate.permits());
    }

    /** Slack for a burst of {@code burst} permits taken at once. */
    static long toleranceMicros(dev.sluice.api.ratelimit.Rate rate, long burst) {
        return (Math.max(1, burst) - 1) * intervalMicros(rate);
    }
}
