package dev.sluice.ratelimit;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import java.time.Duration;
import java.time.Instant;

/**
 * An automatic suspension or throttle of one path. Immutable: the limits at any instant are computed from the
 * trigger time, so recovery needs no timer and a test clock drives it exactly.
 *
 * @param holdUntil end of the full reduction (or of the suspension)
 * @param connections the reduced connection limit during the hold
 * @param messagePermits the reduced message rate (per the rule's period) during the hold
 * @param shared whether every node knows it (stored in Redis), so that its absence there means it was resumed
 */
record Adjustment(PathKey path, BackoffRule rule, Reply trigger, Instant since, Instant holdUntil, int connections,
                  long messagePermits, boolean shared) {

    static Adjustment suspend(PathKey path, BackoffRule rule, Reply trigger, Instant now) {
        return new Adjustment(path, rule, trigger, now, now.plus(rule.duration()), 0, 0, false);
    }

    Adjustment asShared() {
        return new Adjustment(path, rule, trigger, since, holdUntil, connections, messagePermits, true);
    }

    /** Halves what the path may do now (multiplicative decrease; applied again if the receiver keeps complaining). */
    static Adjustment throttle(PathKey path, BackoffRule rule, Reply trigger, Instant now, PathLimits current) {
        return new Adjustment(path, rule, trigger, now, now.plus(rule.duration()),
                Math.max(1, current.maxConnections() / 2), Math.max(1, current.messageRate().permits() / 2), false);
    }

    boolean suspends() {
        return rule.suspends();
    }

    /** The limits at {@code now}: reduced during the hold, then growing by one step per recovery interval. */
    PathLimits limitsAt(Instant now, PathLimits base) {
        if (suspends()) {
            return base;
        }
        long steps = steps(now);
        int conns = (int) Math.min(base.maxConnections(), connections + steps * rule.recoveryConnections());
        long permits = Math.min(base.messageRate().permits(), messagePermits + steps * rateStep(base));
        return new PathLimits(conns, base.connectionRate(), base.maxMessagesPerConnection(),
                new Rate(permits, base.messageRate().period()), base.maxRecipientsPerTransaction());
    }

    /** When the path is back at {@code base}: the end of the hold plus the recovery steps it needs. */
    Instant until(PathLimits base) {
        if (suspends()) {
            return holdUntil;
        }
        long connSteps = ceilDiv(Math.max(0, base.maxConnections() - connections), rule.recoveryConnections());
        long rateSteps = ceilDiv(Math.max(0, base.messageRate().permits() - messagePermits), rateStep(base));
        long needed = Math.max(connSteps, rateSteps);
        return needed == 0 ? holdUntil : holdUntil.plus(rule.recoveryInterval().multipliedBy(needed - 1));
    }

    Suspension visible(Instant now, PathLimits base) {
        String action;
        if (suspends()) {
            action = "suspend";
        } else {
            PathLimits l = limitsAt(now, base);
            action = (now.isBefore(holdUntil) ? "throttle to " : "recovering at ") + l.maxConnections()
                    + " connections, " + l.messageRate();
        }
        return new Suspension(path, rule.name(), trigger, since, until(base), action);
    }

    private long steps(Instant now) {
        if (now.isBefore(holdUntil)) {
            return 0;
        }
        return Duration.between(holdUntil, now).toNanos() / rule.recoveryInterval().toNanos() + 1;
    }

    private long rateStep(PathLimits base) {
        return Math.max(1, base.messageRate().permits() * rule.recoveryRatePercent() / 100);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
