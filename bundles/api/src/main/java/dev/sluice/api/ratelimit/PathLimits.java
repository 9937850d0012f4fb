package dev.sluice.api.ratelimit;

import java.util.Objects;

/**
 * The effective limits of an egress path (after any adaptive reduction).
 *
 * @param maxConnections concurrent connections
 * @param connectionRate new connections
 * @param maxMessagesPerConnection messages one connection carries before it is closed
 * @param messageRate messages
 * @param maxRecipientsPerTransaction recipients in one MAIL transaction
 */
public record PathLimits(int maxConnections, Rate connectionRate, int maxMessagesPerConnection, Rate messageRate,
                         int maxRecipientsPerTransaction) {

    public PathLimits {
        Objects.requireNonNull(connectionRate, "connectionRate");
        Objects.requireNonNull(messageRate, "messageRate");
        if (maxConnections < 1 || maxMessagesPerConnection < 1 || maxRecipientsPerTransaction < 1) {
            throw new IllegalArgumentException("path limits must be at least 1");
        }
    }
}
