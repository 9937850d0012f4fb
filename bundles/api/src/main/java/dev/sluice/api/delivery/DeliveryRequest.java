package dev.sluice.api.delivery;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.routing.Route;
import java.util.Objects;

/**
 * One message to deliver to a batch of recipients of the same destination.
 *
 * @param envelope the message's envelope whose recipients are exactly this batch
 * @param attempt 1 for the first attempt of these recipients
 */
public record DeliveryRequest(QueueId queueId, Envelope envelope, MessageContent content, Route.Hops route,
                              EgressSource source, PathKey path, int attempt) {

    public DeliveryRequest {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
    }
}
