package dev.sluice.scheduler;

import java.time.Duration;
import java.time.Instant;

/**
 * When a deferred recipient is tried again, when it expires, and when its sender is warned of the delay.
 * Everything is derived from the persisted attempt history, so a restart changes nothing: the delay warning
 * goes out on the one deferral that crosses the warning time, which makes "sent once" hold without a flag.
 */
record RetryPolicy(Duration initial, double multiplier, Duration max, Duration lifetime, Duration delayWarning) {

    /** The wait after the {@code attempts}-th failed attempt (1 = the first). */
    Duration backoff(int attempts) {
        double seconds = initial.toSeconds();
        for (int i = 1; i < attempts && seconds < max.toSeconds(); i++) {
            seconds *= multiplier;
        }
        return Duration.ofSeconds((long) Math.min(seconds, max.toSeconds()));
    }

    Instant expiresAt(Instant queuedAt) {
        return queuedAt.plus(lifetime);
    }

    /** The next attempt after a deferral at {@code now}, never later than the expiry (one last try then). */
    Instant nextAttempt(Instant queuedAt, Instant now, int attempts) {
        Instant next = now.plus(backoff(attempts));
        Instant expiry = expiresAt(queuedAt);
        return next.isAfter(expiry) ? expiry : next;
    }

    boolean expired(Instant queuedAt, Instant now) {
        return !now.isBefore(expiresAt(queuedAt));
    }

    /** True when a deferral at {@code now} is the first one at or after the warning time. */
    boolean warnNow(Instant queuedAt, Instant previousAttempt, Instant now) {
        if (delayWarning.isZero()) {
            return false;
        }
        Instant warnAt = queuedAt.plus(delayWarning);
        return !now.isBefore(warnAt) && (previousAttempt == null || previousAttempt.isBefore(warnAt));
    }
}
