package dev.sluice.api.queue;

import java.util.Map;

/**
 * Queue counts for dashboards, kept up to date incrementally (no scan per request).
 *
 * @param messages messages in the queue
 * @param recipientsByStatus unfinished recipients by state (PENDING, DEFERRED) plus recipients held
 * @param heldMessages messages on hold
 * @param messagesByDestination messages with unfinished recipients, per ASCII destination domain
 */
public record QueueSummary(long messages, Map<RecipientStatus, Long> recipientsByStatus, long heldMessages,
                           Map<String, Long> messagesByDestination) {

    public QueueSummary {
        recipientsByStatus = Map.copyOf(recipientsByStatus);
        messagesByDestination = Map.copyOf(messagesByDestination);
    }
}
