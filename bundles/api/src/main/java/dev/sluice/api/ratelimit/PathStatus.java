package dev.sluice.api.ratelimit;

import java.util.Objects;

/**
 * What an operator sees of an egress path.
 *
 * @param suspension the active suspension or reduction, or null
 * @param recentMessagesPerMinute messages sent in the last minute
 * @param recentDeferralsPerMinute transient failures in the last minute
 */
public record PathStatus(PathKey path, int openConnections, PathLimits limits, double recentMessagesPerMinute,
                         double recentDeferralsPerMinute, Suspension suspension) {

    public PathStatus {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(limits, "limits");
    }
}
