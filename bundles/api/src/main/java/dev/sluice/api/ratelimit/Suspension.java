package dev.sluice.api.ratelimit;

import dev.sluice.api.mail.Reply;
import java.time.Instant;
import java.util.Objects;

/**
 * An automatic or manual change to a path's traffic, visible to operators and cancellable.
 *
 * @param rule the name of the backoff rule, or {@code operator} for a manual suspension
 * @param trigger the remote reply that matched the rule, or null for a manual one
 * @param action what was done, e.g. {@code suspend} or {@code throttle to 2 connections, 10/min}
 */
public record Suspension(PathKey path, String rule, Reply trigger, Instant since, Instant until, String action) {

    public Suspension {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(action, "action");
    }
}
