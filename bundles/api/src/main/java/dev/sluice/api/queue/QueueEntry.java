package dev.sluice.api.queue;

import dev.sluice.api.mail.QueueId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The compact index form of a queued message: enough to schedule it and to list it, without reading
 * its file.
 *
 * @param nextAttempt the earliest next attempt of its unfinished recipients
 * @param destinations the ASCII recipient domains that still have unfinished recipients
 * @param senderDomain the sender's ASCII domain, or empty for the null sender
 * @param queuedAt when it was accepted
 */
public record QueueEntry(QueueId id, Instant nextAttempt, boolean held, List<String> destinations,
                         String senderDomain, long size, Instant queuedAt) {

    public QueueEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        Objects.requireNonNull(senderDomain, "senderDomain");
        Objects.requireNonNull(queuedAt, "queuedAt");
        destinations = List.copyOf(destinations);
    }
}
